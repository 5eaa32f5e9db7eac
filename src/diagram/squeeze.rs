//! Rows that an outline crosses only with vertical edges, away from every corner, curve
//! and slanted edge, all have the same coverage: the tall sides of a box, a panel, a
//! trust boundary. Such runs of rows are squeezed out of the outline before it is
//! filled (one row of each run is kept) and the kept row is repeated afterwards, so a
//! box costs about its corners rather than its area.

use resvg::tiny_skia::{Path, PathSegment, Point};

use super::geom::map_path;

/// Runs shorter than this are not worth squeezing.
const MIN_RUN: usize = 4;

/// The runs of repeated rows of an outline in a box `height` rows tall.
#[derive(Debug, PartialEq)]
pub(crate) struct Squeeze {
    /// Each run as (kept row, end): rows `kept + 1 .. end` repeat row `kept`.
    runs: Vec<(u32, u32)>,
    /// Rows left after squeezing.
    pub height: u32,
}

/// The runs of rows of `path` (in a box `height` rows tall) that only vertical edges
/// cross; `None` when there are none worth squeezing.
pub(crate) fn plan(path: &Path, height: u32) -> Option<Squeeze> {
    let h = height as usize;
    // Rows something other than a whole vertical edge passes through.
    let mut busy = vec![false; h];
    let (mut start, mut at) = (Point::zero(), Point::zero());
    for s in path.segments() {
        match s {
            PathSegment::MoveTo(a) => {
                // A fill closes every contour.
                edge(&mut busy, at, start);
                (start, at) = (a, a);
            }
            PathSegment::LineTo(a) => {
                edge(&mut busy, at, a);
                at = a;
            }
            PathSegment::QuadTo(a, b) => {
                mark(&mut busy, &[at, a, b]);
                at = b;
            }
            PathSegment::CubicTo(a, b, c) => {
                mark(&mut busy, &[at, a, b, c]);
                at = c;
            }
            PathSegment::Close => {
                edge(&mut busy, at, start);
                at = start;
            }
        }
    }
    edge(&mut busy, at, start);
    let mut runs = Vec::new();
    let mut y = 0;
    while y < h {
        let len = busy[y..].iter().take_while(|b| !**b).count();
        if len >= MIN_RUN {
            runs.push((y as u32, (y + len) as u32));
        }
        y += len.max(1);
    }
    let removed: u32 = runs.iter().map(|(kept, end)| end - kept - 1).sum();
    (!runs.is_empty()).then(|| Squeeze {
        runs,
        height: height - removed,
    })
}

/// Marks as busy the rows from the highest to the lowest of `points`, with a row of
/// margin on each side.
fn mark(busy: &mut [bool], points: &[Point]) {
    let lo = points.iter().map(|p| p.y).fold(f32::INFINITY, f32::min);
    let hi = points.iter().map(|p| p.y).fold(f32::NEG_INFINITY, f32::max);
    let from = (lo.floor() - 1.0).max(0.0) as usize;
    let to = ((hi.ceil() + 1.0).max(0.0) as usize).min(busy.len());
    busy.iter_mut().take(to).skip(from).for_each(|r| *r = true);
}

/// Marks the rows a straight edge from `p` to `q` makes busy: a vertical one only
/// where it ends, any other all along.
fn edge(busy: &mut [bool], p: Point, q: Point) {
    if p.x == q.x {
        mark(busy, &[p]);
        mark(busy, &[q]);
    } else {
        mark(busy, &[p, q]);
    }
}

impl Squeeze {
    /// Rows squeezed out above `y` (a coordinate in the full box).
    fn removed_above(&self, y: f32) -> f32 {
        self.runs
            .iter()
            .map(|&(kept, end)| (y - (kept + 1) as f32).clamp(0.0, (end - kept - 1) as f32))
            .sum()
    }

    /// `path` with the repeated rows taken out.
    pub fn path(&self, path: &Path) -> Option<Path> {
        map_path(path, |p| Point::from_xy(p.x, p.y - self.removed_above(p.y)))
    }

    /// The row of the squeezed fill that row `y` of the full box shows.
    pub fn source(&self, y: u32) -> u32 {
        let mut removed = 0;
        for &(kept, end) in &self.runs {
            if y <= kept {
                break;
            }
            if y < end {
                return kept - removed;
            }
            removed += end - kept - 1;
        }
        y - removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::{PathBuilder, Rect};

    #[test]
    fn a_tall_rounded_box_keeps_its_corners_and_one_middle_row() {
        let mut pb = PathBuilder::new();
        pb.push_rect(Rect::from_xywh(2.5, 3.25, 40.0, 100.0).unwrap());
        let rect = pb.finish().unwrap();
        let s = plan(&rect, 108).unwrap();
        // Busy rows: 2..5 around the top edge, 102..105 around the bottom one.
        assert_eq!(s.runs, vec![(5, 102)]);
        assert_eq!(s.height, 108 - 96);
        assert_eq!(s.source(4), 4);
        assert_eq!(s.source(5), 5);
        assert_eq!(s.source(50), 5);
        assert_eq!(s.source(101), 5);
        assert_eq!(s.source(102), 6);
        assert_eq!(s.source(107), 11);
        let squeezed = s.path(&rect).unwrap().bounds();
        assert_eq!((squeezed.top(), squeezed.bottom()), (3.25, 103.25 - 96.0));
    }

    #[test]
    fn slanted_edges_and_curves_leave_nothing_to_squeeze() {
        let mut pb = PathBuilder::new();
        pb.move_to(0.0, 0.0);
        pb.line_to(10.0, 60.0);
        pb.line_to(0.0, 60.0);
        pb.close();
        assert_eq!(plan(&pb.finish().unwrap(), 61), None);
        let circle = PathBuilder::from_circle(30.0, 30.0, 29.0).unwrap();
        assert_eq!(plan(&circle, 60), None);
    }
}
