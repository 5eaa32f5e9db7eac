//! Cells of the layout: what one model draws in one row (its layer's box, insets inside
//! it, or a "not present" gap), the dashed trust-boundary outlines around runs of
//! protected rows, and the boxes' text placement.

use crate::compare::model::{Comparison, Layer, Model, StackEntry, Trust};

use super::facts::{entry_label, row_layer, status_word};
use super::font::Fonts;
use super::geom::{
    place, Anchor, Glyph, Label, Para, Plain, Rect, GLYPH, LABEL, SMALL, SMALL_BOLD,
};
use super::palette::Ink;

const BOX_PAD_X: f32 = 12.0;
const BOX_PAD_Y: f32 = 10.0;
const INSET_PAD: f32 = 10.0;
const INSET_GAP: f32 = 10.0;
/// Outline of the trust boundary, this far outside the boxes it encloses.
const TB_M: f32 = 6.0;
const TAB_H: f32 = 16.0;
/// Room above a protected inset for its outline and the tab straddling it.
const TB_TOP: f32 = TB_M + TAB_H / 2.0 + 2.0;

/// What the cells of a layout draw, in painting order within each list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cells {
    pub boxes: Vec<LayerBox>,
    /// "Not present" cells.
    pub gaps: Vec<Plain>,
    pub boundaries: Vec<Boundary>,
}

/// A layer box (or an inset box) with its label and status line.
#[derive(Debug, Clone)]
pub(crate) struct LayerBox {
    pub id: String,
    pub rect: Rect,
    pub trust: Trust,
    pub label: Label,
    /// Solid patch behind the text of hatched boxes, so hatching never crosses text.
    pub knock: Option<Rect>,
    pub glyph: Option<Glyph>,
}

/// A dashed trust-boundary outline and the tab that names it.
#[derive(Debug, Clone)]
pub(crate) struct Boundary {
    pub id: String,
    pub outline: Rect,
    pub tab: Rect,
    /// The colour behind the tab (the canvas, or the untrusted box it sits in).
    pub tab_fill: Ink,
    pub label: Label,
}

/// What one model puts in one row: the row's own layer and any insets of it.
pub(crate) struct CellPlan<'a> {
    host: Option<BoxPlan<'a>>,
    insets: Vec<BoxPlan<'a>>,
    pub need: f32,
}

struct BoxPlan<'a> {
    entry: &'a StackEntry,
    label: Para,
    status: Para,
    /// Height the text needs, with padding.
    h: f32,
    /// Inset that gets its own boundary outline inside a host that is not protected.
    outlined: bool,
}

impl BoxPlan<'_> {
    fn need(&self) -> f32 {
        if self.outlined {
            self.h + TB_TOP + TB_M + 2.0
        } else {
            self.h
        }
    }
}

fn plan_box<'a>(
    f: &Fonts,
    cmp: &'a Comparison,
    e: &'a StackEntry,
    w: f32,
    outlined: bool,
) -> BoxPlan<'a> {
    let w = if outlined { w - 2.0 * (TB_M + 2.0) } else { w };
    let label = Para::wrap(
        f,
        entry_label(cmp, e),
        LABEL,
        Ink::Text,
        w - 2.0 * BOX_PAD_X,
    );
    let status = Para::one(status_word(e.trust), SMALL, Ink::Muted);
    let h = (label.height() + status.height() + 2.0 * BOX_PAD_Y).ceil();
    BoxPlan {
        entry: e,
        label,
        status,
        h,
        outlined,
    }
}

pub(crate) fn plan_cell<'a>(
    f: &Fonts,
    cmp: &'a Comparison,
    m: &'a Model,
    row: &Layer,
    box_w: f32,
) -> CellPlan<'a> {
    let host = m.stack.iter().find(|e| e.layer == row.id);
    let host_trust = host.map(|e| e.trust);
    let inner_w = if host.is_some() {
        box_w - 2.0 * INSET_PAD
    } else {
        box_w
    };
    let insets: Vec<BoxPlan> = m
        .stack
        .iter()
        .filter(|e| e.layer != row.id && row_layer(cmp, &e.layer) == row.id)
        .map(|e| {
            let outlined = e.trust == Trust::Protected && host_trust != Some(Trust::Protected);
            plan_box(f, cmp, e, inner_w, outlined)
        })
        .collect();
    let insets_h: f32 = insets.iter().map(BoxPlan::need).sum::<f32>()
        + (insets.len().max(1) - 1) as f32 * INSET_GAP;
    let host = host.map(|e| plan_box(f, cmp, e, box_w, false));
    let need = match (&host, insets.is_empty()) {
        (Some(h), true) => h.h,
        (Some(h), false) => h.h - BOX_PAD_Y + INSET_GAP + insets_h + INSET_PAD,
        (None, false) => insets_h,
        (None, true) => SMALL.line_height() + 16.0,
    };
    CellPlan { host, insets, need }
}

/// Draws a box's text centred in `area` (or from its top) and returns the box.
fn emit_box(f: &Fonts, plan: &BoxPlan, rect: Rect, id: &str, text_area: Rect) -> LayerBox {
    let text_h = plan.label.height() + plan.status.height();
    let top = text_area.cy() - text_h / 2.0;
    let mut lines = place(
        std::slice::from_ref(&plan.label),
        rect.cx(),
        top,
        Anchor::Middle,
    );
    let status_w = plan.status.width(f);
    let st_top = top + plan.label.height();
    let mut glyph = None;
    if plan.entry.trust == Trust::Root {
        let total = GLYPH + 5.0 + status_w;
        let x0 = rect.cx() - total / 2.0;
        glyph = Some(Glyph::Shield {
            x: x0 + GLYPH / 2.0,
            y: st_top + SMALL.line_height() / 2.0,
        });
        lines.extend(place(
            std::slice::from_ref(&plan.status),
            x0 + GLYPH + 5.0,
            st_top,
            Anchor::Start,
        ));
    } else {
        lines.extend(place(
            std::slice::from_ref(&plan.status),
            rect.cx(),
            st_top,
            Anchor::Middle,
        ));
    }
    let knock = (plan.entry.trust == Trust::Untrusted).then(|| {
        let w = plan.label.width(f).max(status_w) + 12.0;
        Rect::new(rect.cx() - w / 2.0, top - 4.0, w, text_h + 8.0)
    });
    LayerBox {
        id: id.to_string(),
        label: Label {
            id: format!("{id}-t"),
            lines,
        },
        rect,
        trust: plan.entry.trust,
        knock,
        glyph,
    }
}

pub(crate) fn emit_cell(
    f: &Fonts,
    out: &mut Cells,
    plan: &CellPlan,
    cell: Rect,
    id: &str,
    tb_id: &str,
) {
    let mut inner = cell;
    match &plan.host {
        Some(h) if plan.insets.is_empty() => out.boxes.push(emit_box(f, h, cell, id, cell)),
        Some(h) => {
            let text = Rect::new(cell.x, cell.y + BOX_PAD_Y, cell.w, h.h - 2.0 * BOX_PAD_Y);
            out.boxes.push(emit_box(f, h, cell, id, text));
            let top = cell.y + h.h - BOX_PAD_Y + INSET_GAP;
            inner = Rect::new(
                cell.x + INSET_PAD,
                top,
                cell.w - 2.0 * INSET_PAD,
                cell.bottom() - INSET_PAD - top,
            );
        }
        None if plan.insets.is_empty() => {
            let para = Para::one("Not present", SMALL, Ink::Muted);
            let lines = place(
                &[para],
                cell.cx(),
                cell.cy() - SMALL.line_height() / 2.0,
                Anchor::Middle,
            );
            out.gaps.push(Plain {
                id: id.to_string(),
                rect: cell,
                label: Label {
                    id: format!("{id}-t"),
                    lines,
                },
            });
            return;
        }
        None => {}
    }
    let mut y = inner.y;
    let last = plan.insets.len().saturating_sub(1);
    for (k, ins) in plan.insets.iter().enumerate() {
        // The last inset takes whatever height the row has left.
        let need = if k == last {
            inner.bottom() - y
        } else {
            ins.need()
        };
        let mut r = Rect::new(inner.x, y, inner.w, need);
        if ins.outlined {
            let m = TB_M + 2.0;
            r = Rect::new(r.x + m, r.y + TB_TOP, r.w - 2.0 * m, r.h - TB_TOP - m);
            let tab_fill = match plan.host.as_ref().map(|h| h.entry.trust) {
                Some(Trust::Untrusted) => Ink::Untr,
                Some(Trust::Root) => Ink::Root,
                _ => Ink::Canvas,
            };
            out.boundaries.push(boundary(
                f,
                format!("{tb_id}-i{k}"),
                r.inset(-TB_M),
                tab_fill,
            ));
        }
        out.boxes
            .push(emit_box(f, ins, r, &format!("{id}-i{k}"), r));
        y += need + INSET_GAP;
    }
}

fn boundary(f: &Fonts, id: String, outline: Rect, tab_fill: Ink) -> Boundary {
    let para = Para::one("Trust boundary", SMALL_BOLD, Ink::Boundary);
    let tab = Rect::new(
        outline.x + 10.0,
        outline.y - TAB_H / 2.0,
        para.width(f) + 12.0,
        TAB_H,
    );
    let lines = place(
        &[para],
        tab.x + 6.0,
        tab.cy() - SMALL_BOLD.line_height() / 2.0,
        Anchor::Start,
    );
    Boundary {
        label: Label {
            id: format!("{id}-t"),
            lines,
        },
        id,
        outline,
        tab,
        tab_fill,
    }
}

/// One outline per run of protected rows in column `c`; rows the model does not have
/// continue a run, a root or untrusted row ends it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn boundary_runs(
    f: &Fonts,
    out: &mut Cells,
    plans: &[Vec<CellPlan>],
    row_y: &[f32],
    row_h: &[f32],
    c: usize,
    x: f32,
    w: f32,
) {
    let mut run: Option<(usize, usize)> = None;
    let mut k = 0;
    let mut close = |run: &mut Option<(usize, usize)>, out: &mut Cells| {
        if let Some((top, bottom)) = run.take() {
            let y0 = row_y.get(top).copied().unwrap_or(0.0);
            let y1 = row_y.get(bottom).copied().unwrap_or(0.0)
                + row_h.get(bottom).copied().unwrap_or(0.0);
            let outline = Rect::new(x, y0, w, y1 - y0).inset(-TB_M);
            out.boundaries
                .push(boundary(f, format!("tb-{c}-{k}"), outline, Ink::Canvas));
            k += 1;
        }
    };
    for r in (0..plans.len()).rev() {
        let trust = plans
            .get(r)
            .and_then(|ps| ps.get(c))
            .and_then(|cp| cp.host.as_ref())
            .map(|h| h.entry.trust);
        match trust {
            Some(Trust::Protected) => run = Some(run.map_or((r, r), |(_, b)| (r, b))),
            Some(_) => close(&mut run, out),
            None => {}
        }
    }
    close(&mut run, out);
}
