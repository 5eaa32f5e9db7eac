//! What a diagram says, read from the comparison before anything is placed: which rows
//! are drawn, the words for a layer and its trust, who can read data in use, and the
//! numbered notes for access answers an override changed. Layout, SVG and the text
//! equivalent all read these, so the picture and its words cannot disagree.

use crate::compare::access::{derived_access, AccessMatrix, Reach};
use crate::compare::model::{Comparison, Layer, Model, StackEntry, Trust};

/// The layer that owns `id`'s row: itself, or the ancestor it is an inset of.
pub(crate) fn row_layer<'a>(cmp: &'a Comparison, id: &'a str) -> &'a str {
    let mut cur = id;
    // The depth bound guards against inset cycles in unvalidated data.
    for _ in 0..cmp.layers.len() {
        match cmp.layer(cur).and_then(|l| l.inset_of.as_deref()) {
            Some(parent) if cmp.layer(parent).is_some() => cur = parent,
            _ => break,
        }
    }
    cur
}

/// The label a model gives a layer.
pub(crate) fn entry_label<'a>(cmp: &'a Comparison, e: &'a StackEntry) -> &'a str {
    e.label
        .as_deref()
        .or_else(|| cmp.layer(&e.layer).map(|l| l.name.as_str()))
        .unwrap_or(&e.layer)
}

pub(crate) fn status_word(t: Trust) -> &'static str {
    match t {
        Trust::Root => "Root of trust",
        Trust::Protected => "Protected",
        Trust::Untrusted => "Untrusted",
    }
}

/// Rows to draw, top to bottom: layers a shown model stacks or an actor acts from.
pub(crate) fn rows<'a>(cmp: &'a Comparison, models: &[&'a Model]) -> Vec<&'a Layer> {
    let mut layers: Vec<&Layer> = cmp.layers.iter().collect();
    layers.sort_by_key(|l| l.order);
    let used = |id: &str| {
        models
            .iter()
            .any(|m| m.stack.iter().any(|e| row_layer(cmp, &e.layer) == id))
            || cmp.actors.iter().any(|a| row_layer(cmp, &a.acts_at) == id)
    };
    layers
        .into_iter()
        .rev()
        .filter(|l| row_layer(cmp, &l.id) == l.id && used(&l.id))
        .collect()
}

/// Whether `actor` (an index into `cmp.actors`) can read data in use in `model`, after
/// overrides; falls back to the stack alone if the matrix lacks the cell.
pub(crate) fn reach(cmp: &Comparison, access: &AccessMatrix, actor: usize, model: &Model) -> Reach {
    let Some(a) = cmp.actors.get(actor) else {
        return Reach::NotPresent;
    };
    match access.get(&a.id, &model.id) {
        Some(cell) => cell.reach,
        None => derived_access(cmp, &model.id, &a.acts_at).0,
    }
}

/// An access answer that an override changed, numbered in reading order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Note {
    pub number: usize,
    /// Superscript digits drawn after "Can read" / "Cannot read".
    pub marker: String,
    /// Index into `cmp.actors`.
    pub actor: usize,
    /// Index into the models being drawn.
    pub col: usize,
    pub reason: String,
    /// What the stack alone says.
    pub derived: Reach,
}

pub(crate) fn superscript(n: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .bytes()
        .map(|b| {
            DIGITS
                .get(usize::from(b.wrapping_sub(b'0')))
                .copied()
                .unwrap_or('?')
        })
        .collect()
}

pub(crate) fn notes(cmp: &Comparison, access: &AccessMatrix, models: &[&Model]) -> Vec<Note> {
    let mut out = Vec::new();
    for (i, a) in cmp.actors.iter().enumerate() {
        for (c, m) in models.iter().enumerate() {
            let Some(cell) = access.get(&a.id, &m.id) else {
                continue;
            };
            if let Some(reason) = &cell.override_reason {
                let number = out.len() + 1;
                out.push(Note {
                    number,
                    marker: superscript(number),
                    actor: i,
                    col: c,
                    reason: reason.clone(),
                    derived: cell.derived,
                });
            }
        }
    }
    out
}
