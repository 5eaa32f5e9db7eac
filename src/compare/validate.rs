//! Checks a loaded comparison: the schema version, unique ids, references that resolve
//! (with "did you mean" hints), stacks in strict layer order, insets, access overrides and
//! image paths. Each diagnostic points at the entity it is about and names its key path.

use std::collections::BTreeMap;

use super::access::{derived_access, Reach};
use super::model::*;
use super::names::{did_you_mean, SUPPORTED_SCHEMAS};
use crate::error::Diagnostic;

struct V<'a> {
    cmp: &'a Comparison,
    diags: Vec<Diagnostic>,
}

impl V<'_> {
    fn err(&mut self, pos: Pos, kind: &str, message: String) {
        self.diags.push(Diagnostic::error(
            &self.cmp.path,
            pos.line,
            pos.col,
            kind,
            message,
        ));
    }
    fn warn(&mut self, pos: Pos, kind: &str, message: String) {
        self.diags.push(Diagnostic::warning(
            &self.cmp.path,
            pos.line,
            pos.col,
            kind,
            message,
        ));
    }

    /// Reports `value` at `path` unless it is one of `known` (ids of `what`).
    fn reference<'k>(
        &mut self,
        pos: Pos,
        path: &str,
        what: &str,
        value: &str,
        known: impl Iterator<Item = &'k str> + Clone,
    ) -> bool {
        if known.clone().any(|k| k == value) {
            return true;
        }
        let hint = did_you_mean(value, known);
        self.err(
            pos,
            "unknown-reference",
            format!("{path}: unknown {what} \"{value}\"{hint}"),
        );
        false
    }

    /// Reports empty and repeated ids; `paths[i]` is the key path of entity `i`.
    fn unique<'k>(&mut self, what: &str, items: impl Iterator<Item = (String, &'k str, Pos)>) {
        let mut seen: BTreeMap<&str, Pos> = BTreeMap::new();
        for (path, id, pos) in items {
            if id.trim().is_empty() {
                self.err(
                    pos,
                    "empty-id",
                    format!("{path}: the {what} id must not be empty"),
                );
            } else if let Some(first) = seen.get(id) {
                let line = first.line;
                self.err(
                    pos,
                    "duplicate-id",
                    format!("{path}: duplicate {what} id \"{id}\" (first defined at line {line})"),
                );
            } else {
                seen.insert(id, pos);
            }
        }
    }
}

pub(crate) fn validate(cmp: &Comparison) -> Vec<Diagnostic> {
    let mut v = V {
        cmp,
        diags: Vec::new(),
    };
    schema(&mut v);
    layers(&mut v);
    actors(&mut v);
    models(&mut v);
    guidance_and_images(&mut v);
    if let Some(d) = &cmp.decision {
        decision(&mut v, d);
    }
    v.diags
}

fn schema(v: &mut V) {
    let s = &v.cmp.schema;
    if !SUPPORTED_SCHEMAS.contains(&s.as_str()) {
        let supported = SUPPORTED_SCHEMAS.join(", ");
        v.err(
            v.cmp.schema_pos,
            "unsupported-schema",
            format!(
                "schema: unsupported schema \"{s}\"; this version of trustdoc reads {supported}"
            ),
        );
    }
}

/// Key path of a layer: layers are sorted by order after loading, so the file index is
/// recovered from the positions (all come from one list, in file order).
fn layer_path(cmp: &Comparison, layer: &Layer) -> String {
    let index = cmp.layers.iter().filter(|l| l.pos < layer.pos).count();
    format!("layer[{index}]")
}

fn layer_ids(cmp: &Comparison) -> impl Iterator<Item = &str> + Clone {
    cmp.layers.iter().map(|l| l.id.as_str())
}

fn model_ids(cmp: &Comparison) -> impl Iterator<Item = &str> + Clone {
    cmp.models.iter().map(|m| m.id.as_str())
}

fn layers(v: &mut V) {
    let cmp = v.cmp;
    v.unique(
        "layer",
        cmp.layers
            .iter()
            .map(|l| (format!("{}.id", layer_path(cmp, l)), l.id.as_str(), l.pos)),
    );
    let mut orders: BTreeMap<i64, &Layer> = BTreeMap::new();
    for l in &cmp.layers {
        let path = layer_path(cmp, l);
        if let Some(other) = orders.get(&l.order) {
            let msg = format!("{path}.order: layers \"{}\" and \"{}\" both have order {}; each layer needs its own place in the stack", other.id, l.id, l.order);
            v.err(l.pos, "layer-order", msg);
        } else {
            orders.insert(l.order, l);
        }
        let Some(parent_id) = &l.inset_of else {
            continue;
        };
        let ipath = format!("{path}.inset_of");
        if parent_id == &l.id {
            v.err(
                l.pos,
                "inset",
                format!("{ipath}: layer \"{}\" cannot be an inset of itself", l.id),
            );
            continue;
        }
        if !v.reference(l.pos, &ipath, "layer", parent_id, layer_ids(cmp)) {
            continue;
        }
        let Some(parent) = cmp.layer(parent_id) else {
            continue;
        };
        if parent.inset_of.is_some() {
            let msg = format!("{ipath}: \"{parent_id}\" is itself an inset; an inset must sit inside a full-width layer");
            v.err(l.pos, "inset", msg);
        }
        if l.order <= parent.order {
            let msg = format!("{ipath}: inset layer \"{}\" has order {}, which must be greater than the order {} of \"{parent_id}\"", l.id, l.order, parent.order);
            v.err(l.pos, "inset", msg);
        }
    }
}

fn actors(v: &mut V) {
    let cmp = v.cmp;
    v.unique(
        "actor",
        cmp.actors
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("actor[{i}].id"), a.id.as_str(), a.pos)),
    );
    for (i, a) in cmp.actors.iter().enumerate() {
        v.reference(
            a.pos,
            &format!("actor[{i}].acts_at"),
            "layer",
            &a.acts_at,
            layer_ids(cmp),
        );
    }
}

fn models(v: &mut V) {
    let cmp = v.cmp;
    v.unique(
        "model",
        cmp.models
            .iter()
            .enumerate()
            .map(|(i, m)| (format!("model[{i}].id"), m.id.as_str(), m.pos)),
    );
    for (mi, m) in cmp.models.iter().enumerate() {
        let mpath = format!("model[{mi}]");
        let mut prev: Option<&Layer> = None;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (si, s) in m.stack.iter().enumerate() {
            let spath = format!("{mpath}.stack[{si}].layer");
            if let Some(first) = seen.insert(&s.layer, si) {
                let msg = format!(
                    "{spath}: layer \"{}\" is already in this stack at {mpath}.stack[{first}]",
                    s.layer
                );
                v.err(s.pos, "stack-order", msg);
                continue;
            }
            if !v.reference(s.pos, &spath, "layer", &s.layer, layer_ids(cmp)) {
                continue;
            }
            let Some(layer) = cmp.layer(&s.layer) else {
                continue;
            };
            // Equal orders of distinct layers are reported once, at the layers.
            if let Some(p) = prev.filter(|p| p.order > layer.order) {
                let msg = format!(
                    "{spath}: layer \"{}\" (order {}) is listed after \"{}\" (order {}); list the stack bottom to top in layer order",
                    layer.id, layer.order, p.id, p.order
                );
                v.err(s.pos, "stack-order", msg);
            }
            prev = Some(layer);
            if let Some(parent) = &layer.inset_of {
                if cmp.layer(parent).is_some() && m.trust_of(parent).is_none() {
                    let msg = format!("{spath}: the stack has inset layer \"{}\" but not \"{parent}\", the layer it sits in", layer.id);
                    v.err(s.pos, "inset", msg);
                }
            }
        }
        if !m.stack.iter().any(|s| s.trust == Trust::Protected) {
            let msg = format!("{mpath}.stack: model \"{}\" protects no layer; at least one entry needs trust = \"protected\"", m.id);
            v.err(m.pos, "no-protected-layer", msg);
        }
        overrides(v, mi, m);
    }
}

fn overrides(v: &mut V, mi: usize, m: &Model) {
    let cmp = v.cmp;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (oi, o) in m.access_override.iter().enumerate() {
        let opath = format!("model[{mi}].access_override[{oi}]");
        if let Some(first) = seen.insert(&o.actor, oi) {
            let msg = format!("{opath}.actor: actor \"{}\" already has an override at model[{mi}].access_override[{first}]", o.actor);
            v.err(o.pos, "access-override", msg);
        }
        if o.reason.trim().is_empty() {
            v.err(o.pos, "access-override", format!("{opath}.reason: an access override must say why (the reason is shown to readers)"));
        }
        if !v.reference(
            o.pos,
            &format!("{opath}.actor"),
            "actor",
            &o.actor,
            cmp.actors.iter().map(|a| a.id.as_str()),
        ) {
            continue;
        }
        let Some(actor) = cmp.actor(&o.actor) else {
            continue;
        };
        let (derived, why) = derived_access(cmp, &m.id, &actor.acts_at);
        if derived == Reach::from_access(o.access) {
            let msg = format!("{opath}.access: the override changes nothing: the stack already gives access = {} ({why}); remove it or fix the stack", o.access);
            v.warn(o.pos, "access-override", msg);
        }
    }
}

fn guidance_and_images(v: &mut V) {
    let cmp = v.cmp;
    for (gi, g) in cmp.guidance.iter().enumerate() {
        if g.favors.is_empty() {
            v.err(
                g.pos,
                "guidance",
                format!("guidance[{gi}].favors: list at least one model"),
            );
        }
        for (fi, f) in g.favors.iter().enumerate() {
            v.reference(
                g.pos,
                &format!("guidance[{gi}].favors[{fi}]"),
                "model",
                f,
                model_ids(cmp),
            );
        }
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (ii, img) in cmp.images.iter().enumerate() {
        let ipath = format!("image[{ii}]");
        if img.show != "all" {
            let known = std::iter::once("all").chain(model_ids(cmp));
            v.reference(
                img.pos,
                &format!("{ipath}.show"),
                "model (or \"all\")",
                &img.show,
                known,
            );
        }
        if let Some(problem) = image_path_problem(&img.path) {
            v.err(
                img.pos,
                "image-path",
                format!("{ipath}.path: \"{}\" {problem}", img.path),
            );
        } else if let Some(first) = seen.insert(&img.path, ii) {
            v.err(
                img.pos,
                "image-path",
                format!(
                    "{ipath}.path: \"{}\" is already bound by image[{first}]",
                    img.path
                ),
            );
        }
    }
}

/// Why an image path is unusable, if it is: it must be relative and stay inside the
/// comparison file's folder (a `..` may step back up only after stepping down).
fn image_path_problem(path: &str) -> Option<&'static str> {
    if path.trim().is_empty() {
        return Some("is empty");
    }
    let drive = matches!(path.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    if path.starts_with('/') || path.starts_with('\\') || drive || path.contains("://") {
        return Some("is absolute; image paths are relative to the comparison file");
    }
    let mut depth: i64 = 0;
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return Some(
                        "leaves the comparison file's folder; image paths must stay inside it",
                    );
                }
            }
            _ => depth += 1,
        }
    }
    None
}

fn decision(v: &mut V, d: &Decision) {
    let cmp = v.cmp;
    v.unique(
        "input",
        d.inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| (format!("decision.inputs[{i}].id"), inp.id.as_str(), inp.pos)),
    );
    for (ii, inp) in d.inputs.iter().enumerate() {
        let apath = format!("decision.inputs[{ii}].answers");
        if inp.answers.is_empty() {
            v.err(
                inp.pos,
                "decision-input",
                format!("{apath}: input \"{}\" needs at least one answer", inp.id),
            );
        }
        v.unique(
            "answer",
            inp.answers
                .iter()
                .enumerate()
                .map(|(ai, a)| (format!("{apath}[{ai}]"), a.as_str(), inp.pos)),
        );
    }
    v.unique(
        "rule",
        d.rules
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("decision.rules[{i}].id"), r.id.as_str(), r.pos)),
    );
    for (ri, r) in d.rules.iter().enumerate() {
        let rpath = format!("decision.rules[{ri}]");
        if !r.recommends_none() {
            v.reference(
                r.pos,
                &format!("{rpath}.then"),
                "model",
                &r.then,
                model_ids(cmp),
            );
        }
        for (input_id, answers) in &r.when {
            let wpath = format!("{rpath}.when.{input_id}");
            let inputs = d.inputs.iter().map(|i| i.id.as_str());
            if !v.reference(r.pos, &wpath, "input", input_id, inputs) {
                continue;
            }
            let Some(input) = d.inputs.iter().find(|i| &i.id == input_id) else {
                continue;
            };
            if answers.is_empty() {
                v.err(
                    r.pos,
                    "decision-rule",
                    format!(
                        "{wpath}: an empty list matches no answer; omit the input to match any"
                    ),
                );
            }
            for a in answers {
                let what = format!("answer to \"{input_id}\"");
                v.reference(
                    r.pos,
                    &wpath,
                    &what,
                    a,
                    input.answers.iter().map(String::as_str),
                );
            }
        }
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (pi, p) in d.priority.iter().enumerate() {
        let ppath = format!("decision.priority[{pi}]");
        if let Some(first) = seen.insert(p, pi) {
            v.err(
                d.pos,
                "decision-priority",
                format!("{ppath}: \"{p}\" is already listed at decision.priority[{first}]"),
            );
        }
        v.reference(d.pos, &ppath, "model", p, model_ids(cmp));
    }
    if matches!(d.hit_policy, HitPolicy::P | HitPolicy::O) {
        for (ri, r) in d.rules.iter().enumerate() {
            if cmp.model(&r.then).is_some() && !d.priority.contains(&r.then) {
                let msg = format!("decision.rules[{ri}].then: \"{}\" is missing from decision.priority, which hit policy {:?} needs to rank outputs", r.then, d.hit_policy);
                v.err(r.pos, "decision-priority", msg);
            }
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
