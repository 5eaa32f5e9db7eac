//! HTML generated from comparison data: the access matrix, the decision table (a real
//! `<table>` with caption, scoped headers and "Any" for wildcards), the decision guide form
//! (works as a questionnaire with JavaScript; without it the table beside it is the answer)
//! and the guidance matrix. Every string from the data is escaped.

use std::fmt::Write as _;

use crate::compare::access::{AccessMatrix, Reach};
use crate::compare::model::{Comparison, Decision, HitPolicy, NO_MODEL};
use crate::escape::html as esc;

fn policy_name(p: HitPolicy) -> &'static str {
    match p {
        HitPolicy::U => "Unique (U): exactly one rule applies",
        HitPolicy::A => "Any (A): matching rules agree",
        HitPolicy::P => "Priority (P): the highest-priority recommendation wins",
        HitPolicy::F => "First (F): the first matching rule wins",
        HitPolicy::C => "Collect (C): every matching rule applies",
        HitPolicy::R => "Rule order (R): every match, in rule order",
        HitPolicy::O => "Output order (O): every match, by priority",
    }
}

fn model_name<'a>(cmp: &'a Comparison, id: &'a str) -> &'a str {
    if id == NO_MODEL {
        return "No model fits";
    }
    cmp.model(id).map(|m| m.name.as_str()).unwrap_or(id)
}

/// Actor x model: "can read data in use?", with override reasons as numbered notes.
pub fn access_matrix(cmp: &Comparison, access: &AccessMatrix) -> String {
    let mut h = String::new();
    let mut notes: Vec<String> = Vec::new();
    h.push_str("<div class=\"td-table-wrap\"><table class=\"td-access-matrix\">\n");
    let _ = writeln!(
        h,
        "<caption>Who can read data in use: {}</caption>",
        esc(&cmp.title)
    );
    h.push_str("<thead><tr><th scope=\"col\">Actor (acts from)</th>");
    for m in &cmp.models {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&m.name));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (ai, actor) in cmp.actors.iter().enumerate() {
        let layer = cmp
            .layer(&actor.acts_at)
            .map(|l| l.name.as_str())
            .unwrap_or(&actor.acts_at);
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{} <span class=\"td-muted\">({})</span></th>",
            esc(&actor.name),
            esc(layer)
        );
        for (mi, _) in cmp.models.iter().enumerate() {
            let Some(cell) = access.cells.get(ai).and_then(|r| r.get(mi)) else {
                h.push_str("<td></td>");
                continue;
            };
            // A mark and a word for each of the three values, never colour alone.
            let (class, mark) = match cell.reach {
                Reach::CanRead => ("td-can", "✓ Can read"),
                Reach::CannotRead => ("td-cannot", "✗ Cannot read"),
                Reach::NotPresent => ("td-absent", "– Not present"),
            };
            let _ = write!(
                h,
                "<td class=\"{class}\" title=\"{}\">{mark}",
                esc(&cell.why)
            );
            if let Some(reason) = &cell.override_reason {
                notes.push(reason.clone());
                let n = notes.len();
                let _ = write!(h, "<sup><a href=\"#td-access-note-{}-{n}\" id=\"td-access-ref-{}-{n}\">{n}</a></sup>", esc(&cmp.id), esc(&cmp.id));
            }
            h.push_str("</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    if !notes.is_empty() {
        h.push_str("<ol class=\"td-access-notes\">\n");
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(
                h,
                "<li id=\"td-access-note-{id}-{k}\">Overrides what the stack implies: {} <a href=\"#td-access-ref-{id}-{k}\" aria-label=\"Back to the table\">↩</a></li>",
                esc(n),
                id = esc(&cmp.id),
                k = i + 1
            );
        }
        h.push_str("</ol>\n");
    }
    h
}

/// The rules as an accessible table.
pub fn decision_table(cmp: &Comparison, d: &Decision) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<div class=\"td-table-wrap\"><table class=\"td-decision-table\" id=\"td-decision-{}\">",
        esc(&d.id)
    );
    let _ = writeln!(
        h,
        "<caption>Decision table {}: hit policy {}</caption>",
        esc(&d.id),
        esc(policy_name(d.hit_policy))
    );
    h.push_str("<thead><tr><th scope=\"col\">Rule</th>");
    for input in &d.inputs {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&input.question));
    }
    h.push_str("<th scope=\"col\">Recommended model</th><th scope=\"col\">Notes</th></tr></thead>\n<tbody>\n");
    for rule in &d.rules {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(&rule.id));
        for input in &d.inputs {
            match rule.when.get(&input.id) {
                Some(vals) if !vals.is_empty() => {
                    let joined: Vec<String> = vals.iter().map(|v| esc(v)).collect();
                    let _ = write!(h, "<td>{}</td>", joined.join(" or "));
                }
                _ => h.push_str("<td class=\"td-any\">Any</td>"),
            }
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td>{}</td></tr>",
            esc(model_name(cmp, &rule.then)),
            rule.note.as_deref().map(esc).unwrap_or_default()
        );
    }
    h.push_str("</tbody></table></div>\n");
    h
}

/// The questions as a form, with the rules as JSON for the script in trustdoc.js.
pub fn decision_guide(cmp: &Comparison, d: &Decision) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<form class=\"td-decision-guide td-js-only\" data-decision=\"{}\">",
        esc(&d.id)
    );
    for (i, input) in d.inputs.iter().enumerate() {
        let _ = writeln!(
            h,
            "<fieldset><legend>{}. {}</legend>",
            i + 1,
            esc(&input.question)
        );
        for a in &input.answers {
            let id = format!("td-q-{}-{}-{}", d.id, input.id, a);
            let _ = writeln!(
                h,
                "<label for=\"{id}\"><input type=\"radio\" id=\"{id}\" name=\"{}\" value=\"{}\"> {}</label>",
                esc(&input.id),
                esc(a),
                esc(&a.replace('_', " ")),
                id = esc(&id)
            );
        }
        h.push_str("</fieldset>\n");
    }
    let data = serde_json::json!({
        "hit_policy": format!("{:?}", d.hit_policy),
        "inputs": d.inputs.iter().map(|i| serde_json::json!({"id": i.id, "question": i.question, "answers": i.answers})).collect::<Vec<_>>(),
        "rules": d.rules.iter().map(|r| serde_json::json!({"id": r.id, "when": r.when, "then": r.then, "note": r.note})).collect::<Vec<_>>(),
        "models": cmp.models.iter().map(|m| (m.id.clone(), serde_json::Value::String(m.name.clone()))).collect::<serde_json::Map<_, _>>(),
        "priority": if d.priority.is_empty() { cmp.models.iter().map(|m| m.id.clone()).collect() } else { d.priority.clone() },
    });
    // JSON inside <script> must not be able to close the element: escape `<`, `>` and `&`.
    let json = data
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let _ = writeln!(
        h,
        "<script type=\"application/json\" class=\"td-guide-data\">{json}</script>"
    );
    h.push_str("<output class=\"td-guide-result\" aria-live=\"polite\"></output>\n</form>\n");
    let _ = writeln!(h, "<noscript><p>Without JavaScript, read the answer from the <a href=\"#td-decision-{}\">decision table</a>.</p></noscript>", esc(&d.id));
    h
}

/// "Choose X when ...": criteria by model, with marks and words (not colour alone).
pub fn guidance_matrix(cmp: &Comparison) -> String {
    let mut h = String::new();
    h.push_str("<div class=\"td-table-wrap\"><table class=\"td-guidance-matrix\">\n");
    let _ = writeln!(
        h,
        "<caption>When each model fits: {}</caption>",
        esc(&cmp.title)
    );
    h.push_str("<thead><tr><th scope=\"col\">Situation</th>");
    for m in &cmp.models {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&m.name));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for g in &cmp.guidance {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(&g.text));
        for m in &cmp.models {
            if g.favors.contains(&m.id) {
                h.push_str("<td class=\"td-can\">✓ Good fit</td>");
            } else {
                h.push_str("<td class=\"td-muted\"><span class=\"td-sr-only\">Not indicated</span><span aria-hidden=\"true\">–</span></td>");
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    h
}
