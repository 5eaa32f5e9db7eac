//! The legend under the diagram: one sample of each mark with the words for it, laid
//! out left to right and wrapped, then the notes for access overrides.

use crate::compare::model::{Comparison, Model};

use super::facts::Note;
use super::font::Fonts;
use super::geom::{place, Anchor, Label, Para, Rect, BODY, SMALL};
use super::palette::Ink;

/// Which sample a legend entry shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sample {
    Boundary,
    Protected,
    Untrusted,
    Root,
    Cannot,
    Can,
    Absent,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Legend {
    pub id: String,
    pub rect: Rect,
    pub samples: Vec<(Sample, Rect)>,
    pub labels: Vec<Label>,
}

const INNER: f32 = 14.0;
const SAMPLE_W: f32 = 28.0;
const SAMPLE_H: f32 = 16.0;
const ITEM_GAP: f32 = 28.0;
/// Narrowest text column a legend grid may wrap its words into.
const MIN_TEXT: f32 = 150.0;

/// Lays out the legend in `area` (its height is computed here).
pub(crate) fn build(
    f: &Fonts,
    cmp: &Comparison,
    models: &[&Model],
    notes: &[Note],
    area: Rect,
    has_actors: bool,
) -> Legend {
    let mut items = vec![
        (Sample::Boundary, "Trust boundary around protected layers"),
        (Sample::Protected, "Protected layer"),
        (Sample::Untrusted, "Untrusted layer (hatched)"),
        (Sample::Root, "Root of trust"),
    ];
    if has_actors {
        items.push((Sample::Cannot, "Cannot read data in use"));
        items.push((Sample::Can, "Can read data in use"));
        let absent = models
            .iter()
            .any(|m| cmp.actors.iter().any(|a| m.trust_of(&a.acts_at).is_none()));
        if absent {
            items.push((
                Sample::Absent,
                "Not present: the model does not run that layer",
            ));
        }
    }
    let inner_w = area.w - 2.0 * INNER;
    let mut legend = Legend {
        id: "legend".to_string(),
        ..Legend::default()
    };
    let wrap_all = |text_w: f32| -> Vec<Para> {
        items
            .iter()
            .map(|(_, text)| Para::wrap(f, text, BODY, Ink::Text, text_w))
            .collect()
    };
    let item_w = |para: &Para| SAMPLE_W + 8.0 + para.width(f);
    // One row at natural widths when everything fits; otherwise a grid of equal
    // columns (at least two when there is room), so the samples line up.
    let mut paras = wrap_all(inner_w - SAMPLE_W - 8.0);
    let one_row: f32 =
        paras.iter().map(item_w).sum::<f32>() + (paras.len().max(1) - 1) as f32 * ITEM_GAP;
    let n = items.len().max(1);
    let (ncols, col_x): (usize, Vec<f32>) = if one_row <= inner_w {
        let mut xs = Vec::with_capacity(n);
        let mut x = 0.0;
        for para in &paras {
            xs.push(x);
            x += item_w(para) + ITEM_GAP;
        }
        (n, xs)
    } else {
        let natural = paras.iter().map(item_w).fold(0.0, f32::max) + ITEM_GAP;
        let by_natural = ((inner_w + ITEM_GAP) / natural).floor() as usize;
        let by_minimum =
            ((inner_w + ITEM_GAP) / (SAMPLE_W + 8.0 + MIN_TEXT + ITEM_GAP)).floor() as usize;
        let ncols = by_natural.max(by_minimum.min(2)).clamp(1, n);
        let col_w = (inner_w + ITEM_GAP) / ncols as f32;
        paras = wrap_all(col_w - ITEM_GAP - SAMPLE_W - 8.0);
        (ncols, (0..ncols).map(|k| k as f32 * col_w).collect())
    };
    let mut y = area.y + INNER;
    for (r, chunk) in items
        .iter()
        .zip(&paras)
        .collect::<Vec<_>>()
        .chunks(ncols)
        .enumerate()
    {
        let row_h = chunk
            .iter()
            .map(|(_, p)| p.height().max(SAMPLE_H))
            .fold(0.0, f32::max);
        for (k, ((sample, _), para)) in chunk.iter().enumerate() {
            let x = area.x + INNER + col_x.get(k).copied().unwrap_or(0.0);
            let sy = y + (row_h - SAMPLE_H) / 2.0;
            legend
                .samples
                .push((*sample, Rect::new(x, sy, SAMPLE_W, SAMPLE_H)));
            let lines = place(
                std::slice::from_ref(*para),
                x + SAMPLE_W + 8.0,
                y + (row_h - para.height()) / 2.0,
                Anchor::Start,
            );
            legend.labels.push(Label {
                id: format!("legend-t{}", r * ncols + k),
                lines,
            });
        }
        y += row_h + 8.0;
    }
    y -= 8.0;
    let first_note = items.len();
    for (k, n) in notes.iter().enumerate() {
        let model = models.get(n.col).map_or("", |m| m.name.as_str());
        let actor = cmp.actors.get(n.actor).map_or("", |a| a.name.as_str());
        let text = format!("{} {model}, {actor}: {}", n.marker.trim(), n.reason);
        let para = Para::wrap(f, &text, SMALL, Ink::Text, inner_w);
        y += 8.0;
        let lines = place(
            std::slice::from_ref(&para),
            area.x + INNER,
            y,
            Anchor::Start,
        );
        y += para.height();
        legend.labels.push(Label {
            id: format!("legend-t{}", first_note + k),
            lines,
        });
    }
    legend.rect = Rect::new(area.x, area.y, area.w, (y + INNER - area.y).ceil());
    legend
}
