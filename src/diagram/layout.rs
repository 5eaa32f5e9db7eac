//! Fixed-rule layout: rows by layer order (highest on top), one column per model, an
//! actor gutter on the left and an access lane before each model's boxes. Every row
//! is as tall as its tallest content, so all columns stay aligned; inset layers are
//! laid out inside their parent's box. No general graph layout is involved, so the
//! same data always gives the same picture.

use crate::compare::access::{AccessMatrix, Reach};
use crate::compare::model::{Comparison, Model};

use super::cells::{boundary_runs, emit_cell, plan_cell, CellPlan, Cells};
use super::facts::{reach, row_layer, rows, Note};
use super::font::Fonts;
use super::geom::{
    place, stack_height, Anchor, Glyph, Label, Para, Plain, Rect, BODY, BODY_BOLD, GLYPH, HEAD,
    SMALL, SMALL_BOLD,
};
use super::legend::{self, Legend};
use super::palette::Ink;

pub(crate) const PAD: f32 = 24.0;
const GUTTER_W: f32 = 172.0;
const GUTTER_GAP: f32 = 16.0;
const LANE_GAP: f32 = 10.0;
const COL_GAP: f32 = 40.0;
const ROW_GAP: f32 = 28.0;
const HEADER_GAP: f32 = 20.0;
const MIN_ROW: f32 = 48.0;
const CHIP_GAP: f32 = 8.0;
const PILL_H: f32 = 24.0;
const PILL_PAD: f32 = 8.0;

/// A rounded chip: an actor in the gutter or a can/cannot-read pill.
#[derive(Debug, Clone)]
pub(crate) struct Chip {
    pub id: String,
    pub rect: Rect,
    pub fill: Ink,
    pub stroke: Ink,
    pub glyph: Glyph,
    pub glyph_ink: Ink,
    pub label: Label,
}

#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub width: f32,
    pub height: f32,
    pub headers: Vec<Plain>,
    /// Boxes, "not present" gaps and trust boundaries of every row and column.
    pub cells: Cells,
    pub chips: Vec<Chip>,
    pub legend: Legend,
}

/// Lays out `models` of `cmp`. Element ids are left without the page's prefix, which
/// `svg` puts in front of each, so one layout serves every place the diagram appears.
pub(crate) fn layout(
    f: &Fonts,
    cmp: &Comparison,
    access: &AccessMatrix,
    models: &[&Model],
    notes: &[Note],
) -> Layout {
    let rows = rows(cmp, models);
    let row_actors: Vec<Vec<usize>> = rows
        .iter()
        .map(|l| {
            (0..cmp.actors.len())
                .filter(|&i| {
                    cmp.actors
                        .get(i)
                        .is_some_and(|a| row_layer(cmp, &a.acts_at) == l.id)
                })
                .collect()
        })
        .collect();
    let has_actors = row_actors.iter().any(|a| !a.is_empty());
    let box_w = if models.len() == 1 { 240.0 } else { 184.0 };
    let gutter_w = if has_actors { GUTTER_W } else { 0.0 };

    // Pill texts decide the lane width, so every pill in the diagram is the same size.
    let pill_text = |actor: usize, col: usize| -> (Reach, String) {
        let m = models.get(col).copied();
        let r = m.map_or(Reach::NotPresent, |m| reach(cmp, access, actor, m));
        let mut text = r.word().to_string();
        if let Some(n) = notes.iter().find(|n| n.actor == actor && n.col == col) {
            text.push_str(&n.marker);
        }
        (r, text)
    };
    let mut pill_w: f32 = 0.0;
    for (i, _) in cmp.actors.iter().enumerate() {
        for c in 0..models.len() {
            pill_w = pill_w.max(f.width(&pill_text(i, c).1, SMALL_BOLD));
        }
    }
    let pill_w = (pill_w + 2.0 * PILL_PAD + GLYPH + 5.0).ceil();
    let lane_w = if has_actors { pill_w + LANE_GAP } else { 0.0 };
    let cols_x0 = PAD
        + if has_actors {
            gutter_w + GUTTER_GAP
        } else {
            0.0
        };
    let col_x = |c: usize| cols_x0 + c as f32 * (lane_w + box_w + COL_GAP);
    let box_x = |c: usize| col_x(c) + lane_w;
    let n = models.len() as f32;
    let width = (cols_x0 + n * (lane_w + box_w) + (n - 1.0).max(0.0) * COL_GAP + PAD).ceil();

    // Column headers: model name, then deployment kind and technologies.
    let head_paras: Vec<Vec<Para>> = models
        .iter()
        .map(|m| {
            let mut meta = m.deployment.clone();
            if !m.technologies.is_empty() {
                meta = format!("{meta} · {}", m.technologies.join(", "));
            }
            vec![
                Para::wrap(f, &m.name, HEAD, Ink::Text, box_w),
                Para::wrap(f, meta.trim_start_matches(" · "), SMALL, Ink::Muted, box_w),
            ]
        })
        .collect();
    let gutter_paras = vec![
        Para::one("Actors", BODY_BOLD, Ink::Text),
        Para::wrap(
            f,
            "Each acts from the layer in its row",
            SMALL,
            Ink::Muted,
            gutter_w,
        ),
    ];
    let mut header_h = head_paras
        .iter()
        .map(|ps| stack_height(ps))
        .fold(0.0, f32::max);
    if has_actors {
        header_h = header_h.max(stack_height(&gutter_paras));
    }
    let header_h = (header_h + 10.0).ceil();
    let mut headers = Vec::new();
    let mut push_header = |id: String, rect: Rect, paras: &[Para], anchor: Anchor, x: f32| {
        let top = rect.bottom() - 10.0 - stack_height(paras);
        let lines = place(paras, x, top, anchor);
        headers.push(Plain {
            label: Label {
                id: format!("{id}-t"),
                lines,
            },
            id,
            rect,
        });
    };
    if has_actors {
        let r = Rect::new(PAD, PAD, gutter_w, header_h);
        push_header("ghead".to_string(), r, &gutter_paras, Anchor::Start, PAD);
    }
    for (c, paras) in head_paras.iter().enumerate() {
        let r = Rect::new(box_x(c), PAD, box_w, header_h);
        push_header(format!("head-{c}"), r, paras, Anchor::Middle, r.cx());
    }

    // Measure every cell and actor stack, then fix row heights.
    let plans: Vec<Vec<CellPlan>> = rows
        .iter()
        .map(|l| {
            models
                .iter()
                .map(|m| plan_cell(f, cmp, m, l, box_w))
                .collect()
        })
        .collect();
    let chip_paras: Vec<Para> = cmp
        .actors
        .iter()
        .map(|a| Para::wrap(f, &a.name, BODY, Ink::Text, gutter_w - 26.0 - 8.0))
        .collect();
    let chip_h = |i: usize| {
        chip_paras
            .get(i)
            .map_or(0.0, |p| (p.height() + 14.0).max(30.0))
    };
    let row_h: Vec<f32> = (0..rows.len())
        .map(|r| {
            let cells = plans
                .get(r)
                .map_or(0.0, |ps| ps.iter().map(|c| c.need).fold(0.0, f32::max));
            let acts = row_actors.get(r).map_or(&[][..], Vec::as_slice);
            let gutter: f32 = acts.iter().map(|&i| chip_h(i)).sum::<f32>()
                + (acts.len().max(1) - 1) as f32 * CHIP_GAP;
            cells.max(gutter).max(MIN_ROW).ceil()
        })
        .collect();
    let mut row_y = Vec::with_capacity(rows.len());
    let mut y = PAD + header_h + HEADER_GAP;
    for h in &row_h {
        row_y.push(y);
        y += h + ROW_GAP;
    }
    let rows_bottom = y - if rows.is_empty() { 0.0 } else { ROW_GAP };

    let mut out = Layout {
        width,
        height: 0.0,
        headers,
        cells: Cells::default(),
        chips: Vec::new(),
        legend: Legend::default(),
    };
    for (r, row_plans) in plans.iter().enumerate() {
        let (y, h) = (
            row_y.get(r).copied().unwrap_or(0.0),
            row_h.get(r).copied().unwrap_or(0.0),
        );
        for (c, plan) in row_plans.iter().enumerate() {
            let cell = Rect::new(box_x(c), y, box_w, h);
            emit_cell(
                f,
                &mut out.cells,
                plan,
                cell,
                &format!("cell-{r}-{c}"),
                &format!("tb-{c}-r{r}"),
            );
        }
    }
    for c in 0..models.len() {
        boundary_runs(
            f,
            &mut out.cells,
            &plans,
            &row_y,
            &row_h,
            c,
            box_x(c),
            box_w,
        );
    }

    // Actor chips in the gutter, each with its pill in every model's lane.
    for (r, acts) in row_actors.iter().enumerate() {
        let (y, h) = (
            row_y.get(r).copied().unwrap_or(0.0),
            row_h.get(r).copied().unwrap_or(0.0),
        );
        let total: f32 = acts.iter().map(|&i| chip_h(i)).sum::<f32>()
            + (acts.len().max(1) - 1) as f32 * CHIP_GAP;
        let mut top = y + (h - total) / 2.0;
        for &i in acts {
            let ch = chip_h(i);
            let rect = Rect::new(PAD, top, gutter_w, ch);
            let para = chip_paras
                .get(i)
                .cloned()
                .unwrap_or_else(|| Para::one("", BODY, Ink::Text));
            let lines = place(
                std::slice::from_ref(&para),
                PAD + 26.0,
                rect.cy() - para.height() / 2.0,
                Anchor::Start,
            );
            out.chips.push(Chip {
                id: format!("actor-{i}"),
                label: Label {
                    id: format!("actor-{i}-t"),
                    lines,
                },
                rect,
                fill: Ink::Panel,
                stroke: Ink::Rule,
                glyph: Glyph::Person {
                    x: PAD + 13.0,
                    y: rect.cy(),
                },
                glyph_ink: Ink::Text,
            });
            for c in 0..models.len() {
                let (r, text) = pill_text(i, c);
                let pr = Rect::new(col_x(c), rect.cy() - PILL_H / 2.0, pill_w, PILL_H);
                // Three values, three shapes: an eye, a padlock, a crossed-out circle.
                let (fill, mark) = match r {
                    Reach::CanRead => (Ink::Can, Ink::CanMark),
                    Reach::CannotRead => (Ink::Cannot, Ink::CannotMark),
                    Reach::NotPresent => (Ink::Panel, Ink::Muted),
                };
                let para = Para::one(&text, SMALL_BOLD, mark);
                let gx = pr.x + PILL_PAD + GLYPH / 2.0;
                let lines = place(
                    &[para],
                    pr.x + PILL_PAD + GLYPH + 5.0,
                    pr.cy() - SMALL_BOLD.line_height() / 2.0,
                    Anchor::Start,
                );
                let (x, y) = (gx, pr.cy());
                out.chips.push(Chip {
                    id: format!("acc-{i}-{c}"),
                    label: Label {
                        id: format!("acc-{i}-{c}-t"),
                        lines,
                    },
                    rect: pr,
                    fill,
                    stroke: mark,
                    glyph: match r {
                        Reach::CanRead => Glyph::Eye { x, y },
                        Reach::CannotRead => Glyph::Lock { x, y },
                        Reach::NotPresent => Glyph::Absent { x, y },
                    },
                    glyph_ink: mark,
                });
            }
            top += ch + CHIP_GAP;
        }
    }

    let legend_rect = Rect::new(PAD, rows_bottom + 28.0, width - 2.0 * PAD, 0.0);
    out.legend = legend::build(f, cmp, models, notes, legend_rect, has_actors);
    out.height = (out.legend.rect.bottom() + PAD).ceil();
    out
}
