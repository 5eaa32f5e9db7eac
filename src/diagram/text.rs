//! Words for the diagram: the title, the plain-text long description and the HTML text
//! equivalent (description plus two accessible tables). All of it is generated from the
//! same data as the drawing, so the picture and its text cannot disagree.

use std::fmt::Write as _;

use crate::compare::model::{Comparison, Layer, Model};

use crate::escape::html as esc;

use crate::compare::access::Reach;

use super::facts::{entry_label, reach, row_layer, rows, status_word, Note};

/// "a", "a and b", "a, b and c"; with semicolons when an item has its own "and" or
/// comma, so "SGX microcode; CPU and memory" stays two items.
fn join(items: &[String]) -> String {
    if items.len() > 1 && items.iter().any(|i| i.contains(" and ") || i.contains(',')) {
        return items.join("; ");
    }
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(crate) fn title(cmp: &Comparison, models: &[&Model], all: bool) -> String {
    match (all, models.first()) {
        (false, Some(m)) => format!("Trust boundary of {}", m.name),
        _ => format!(
            "{}: trust boundaries of {} deployment models",
            cmp.title,
            models.len()
        ),
    }
}

/// One sentence group per model: what the boundary encloses, the roots of trust, what
/// stays outside, and who can or cannot read data in use.
pub(crate) fn model_sentences(
    cmp: &Comparison,
    access: &crate::compare::access::AccessMatrix,
    m: &Model,
) -> String {
    let labels = |t| -> Vec<String> {
        m.stack
            .iter()
            .rev()
            .filter(|e| e.trust == t)
            .map(|e| entry_label(cmp, e).to_string())
            .collect()
    };
    use crate::compare::model::Trust::*;
    let (prot, root, untr) = (labels(Protected), labels(Root), labels(Untrusted));
    let mut s = format!("{} ({}): ", m.name, m.deployment);
    if prot.is_empty() {
        s.push_str("no layer is inside a trust boundary.");
    } else {
        let _ = write!(s, "the trust boundary encloses {}.", join(&prot));
    }
    if !root.is_empty() {
        let _ = write!(s, " Root of trust: {}.", join(&root));
    }
    if !untr.is_empty() {
        let _ = write!(s, " Untrusted, outside the boundary: {}.", join(&untr));
    }
    let (mut yes, mut no, mut absent) = (Vec::new(), Vec::new(), Vec::new());
    for (i, a) in cmp.actors.iter().enumerate() {
        let name = a.name.clone();
        match reach(cmp, access, i, m) {
            Reach::CanRead => yes.push(name),
            Reach::CannotRead => no.push(name),
            Reach::NotPresent => absent.push(name),
        }
    }
    if !yes.is_empty() {
        let _ = write!(s, " Can read data in use: {}.", join(&yes));
    }
    if !no.is_empty() {
        let _ = write!(s, " Cannot read data in use: {}.", join(&no));
    }
    if !absent.is_empty() {
        let _ = write!(
            s,
            " Not present (the model does not run the layer they act from): {}.",
            join(&absent)
        );
    }
    s
}

pub(crate) fn description(
    cmp: &Comparison,
    access: &crate::compare::access::AccessMatrix,
    models: &[&Model],
    notes: &[Note],
) -> String {
    let mut parts: Vec<String> = models
        .iter()
        .map(|m| model_sentences(cmp, access, m))
        .collect();
    for n in notes {
        parts.push(note_text(cmp, models, n));
    }
    parts.join(" ")
}

fn note_text(cmp: &Comparison, models: &[&Model], n: &Note) -> String {
    let model = models.get(n.col).map_or("", |m| m.name.as_str());
    let actor = cmp.actors.get(n.actor).map_or("", |a| a.name.as_str());
    format!(
        "Note {}: for {model}, the {actor} entry is set explicitly: {}",
        n.number, n.reason
    )
}

/// Layer rows for the table, top to bottom, each inset right below its parent.
fn table_layers<'a>(
    cmp: &'a Comparison,
    models: &[&'a Model],
) -> Vec<(&'a Layer, Option<&'a Layer>)> {
    let mut out = Vec::new();
    for row in rows(cmp, models) {
        out.push((row, None));
        let mut insets: Vec<&Layer> = cmp
            .layers
            .iter()
            .filter(|l| l.id != row.id && row_layer(cmp, &l.id) == row.id)
            .filter(|l| models.iter().any(|m| m.trust_of(&l.id).is_some()))
            .collect();
        insets.sort_by_key(|l| std::cmp::Reverse(l.order));
        out.extend(insets.into_iter().map(|l| (l, Some(row))));
    }
    out
}

/// The text equivalent's opening tag, which carries the page's id prefix.
pub(crate) fn html_open(p: &str) -> String {
    format!("<div class=\"td-diagram-text\" id=\"{p}-text\">\n")
}

/// The text equivalent after [`html_open`]: the model sentences, the trust and access
/// tables and the notes, up to the closing `</div>`. It holds no id, so one copy
/// serves every place the diagram appears.
pub(crate) fn html_body(
    cmp: &Comparison,
    access: &crate::compare::access::AccessMatrix,
    models: &[&Model],
    notes: &[Note],
) -> String {
    let mut h = String::with_capacity(8 * 1024);
    for m in models {
        let _ = writeln!(h, "<p>{}</p>", esc(&model_sentences(cmp, access, m)));
    }
    let scope = match models {
        [one] => one.name.clone(),
        _ => "each deployment model".to_string(),
    };
    let head = |h: &mut String, first: &str| {
        let _ = write!(h, "<thead><tr><th scope=\"col\">{first}</th>");
        for m in models {
            let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&m.name));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
    };

    let _ = writeln!(h, "<table class=\"td-table td-trust-table\">\n<caption>Trust of each layer in {}, top to bottom</caption>", esc(&scope));
    head(&mut h, "Layer");
    for (layer, parent) in table_layers(cmp, models) {
        let name = match parent {
            Some(p) => format!("{} (inside {})", layer.name, p.name),
            None => layer.name.clone(),
        };
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(&name));
        for m in models {
            let cell = match m.stack.iter().find(|e| e.layer == layer.id) {
                Some(e) => {
                    let label = entry_label(cmp, e);
                    if label == layer.name {
                        status_word(e.trust).to_string()
                    } else {
                        format!("{} ({label})", status_word(e.trust))
                    }
                }
                None => "Not present".to_string(),
            };
            let _ = write!(h, "<td>{}</td>", esc(&cell));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");

    if !cmp.actors.is_empty() {
        let _ = writeln!(h, "<table class=\"td-table td-access-table\">\n<caption>Who can read data in use in {}</caption>", esc(&scope));
        head(&mut h, "Actor (acts from)");
        for (i, a) in cmp.actors.iter().enumerate() {
            let from = cmp
                .layer(&a.acts_at)
                .map_or(a.acts_at.as_str(), |l| l.name.as_str());
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{} ({})</th>",
                esc(&a.name),
                esc(from)
            );
            for (c, m) in models.iter().enumerate() {
                let word = reach(cmp, access, i, m).word();
                match notes.iter().find(|n| n.actor == i && n.col == c) {
                    Some(n) => {
                        let _ = write!(h, "<td>{word}<sup>{}</sup></td>", n.number);
                    }
                    None => {
                        let _ = write!(h, "<td>{word}</td>");
                    }
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody>\n</table>\n");
    }
    for n in notes {
        let model = models.get(n.col).map_or("", |m| m.name.as_str());
        let actor = cmp.actors.get(n.actor).map_or("", |a| a.name.as_str());
        let derived = match n.derived {
            Reach::CanRead => "this actor can read data in use",
            Reach::CannotRead => "this actor cannot read data in use",
            Reach::NotPresent => "this actor is not present",
        };
        let _ = writeln!(
            h,
            "<p class=\"td-note\"><sup>{}</sup> {}, {}: the layers alone say {derived}; set explicitly because: {}</p>",
            n.number,
            esc(model),
            esc(actor),
            esc(&n.reason)
        );
    }
    h.push_str("</div>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_reads_like_a_sentence() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join(&s(&[])), "");
        assert_eq!(join(&s(&["a"])), "a");
        assert_eq!(join(&s(&["a", "b"])), "a and b");
        assert_eq!(join(&s(&["a", "b", "c"])), "a, b and c");
        assert_eq!(join(&s(&["x", "CPU and memory"])), "x; CPU and memory");
    }
}
