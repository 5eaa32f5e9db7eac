//! Turns a parsed value tree (from TOML, YAML or JSON) into the typed comparison model.
//! Every type error, missing key and unknown key is reported with the file position and
//! the key path (`model[2].stack[3].trust`), and loading goes on after an error so one
//! run shows all of them. References between entities are checked later, in `validate`.
//! The decision table's part of the schema is in `load/rules.rs`.

use super::model::*;
use super::names::suggest;
use super::tree::{Entry, Node, Value};
use crate::error::Diagnostic;

mod rules;
use rules::{answer_map, decision};

const KIND: &str = "comparison-schema";

const TOP_KEYS: &[&str] = &[
    "schema",
    "id",
    "title",
    "description",
    "layer",
    "actor",
    "guidance",
    "image",
    "model",
    "decision",
];
const LAYER_KEYS: &[&str] = &["id", "order", "name", "inset_of"];
const ACTOR_KEYS: &[&str] = &["id", "name", "acts_at"];
const GUIDANCE_KEYS: &[&str] = &["favors", "text"];
const IMAGE_KEYS: &[&str] = &["path", "show"];
const MODEL_KEYS: &[&str] = &[
    "id",
    "name",
    "deployment",
    "technologies",
    "isolation_unit",
    "code_changes",
    "attestation",
    "memory",
    "stack",
    "access_override",
    "fits",
];
const STACK_KEYS: &[&str] = &["layer", "trust", "label"];
const OVERRIDE_KEYS: &[&str] = &["actor", "access", "reason"];

/// Collects errors while converting.
struct Cx<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn err(&mut self, pos: Pos, message: String) {
        self.diags.push(Diagnostic::error(
            self.file, pos.line, pos.col, KIND, message,
        ));
    }

    fn type_err(&mut self, node: &Node, path: &str, expected: &str) {
        let path = if path.is_empty() {
            "the document"
        } else {
            path
        };
        let found = match &node.value {
            Value::Str(s) => format!("the string {s:?}"),
            other => other.kind().to_string(),
        };
        self.err(
            node.pos,
            format!("{path}: expected {expected}, found {found}"),
        );
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A table being read: its entries, its key path and where it starts.
struct Obj<'n> {
    path: String,
    pos: Pos,
    entries: &'n [Entry],
}

/// Checks that `node` is a table and reports keys outside `known`.
fn obj<'n>(cx: &mut Cx, node: &'n Node, path: &str, known: &[&str]) -> Option<Obj<'n>> {
    let Value::Map(entries) = &node.value else {
        cx.type_err(node, path, "a table");
        return None;
    };
    for e in entries {
        if !known.contains(&e.key.as_str()) {
            let hint = match suggest(&e.key, known.iter().copied()) {
                Some(s) => format!("; did you mean \"{s}\"?"),
                None => String::new(),
            };
            let key_path = join(path, &e.key);
            cx.err(
                e.key_pos,
                format!(
                    "{key_path}: unknown key{hint} (known keys: {})",
                    known.join(", ")
                ),
            );
        }
    }
    Some(Obj {
        path: path.to_string(),
        pos: node.pos,
        entries,
    })
}

impl<'n> Obj<'n> {
    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.node)
    }

    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn missing(&self, cx: &mut Cx, key: &str) {
        let what = if self.path.is_empty() {
            "the top level".to_string()
        } else {
            self.path.clone()
        };
        cx.err(self.pos, format!("{what}: missing required key \"{key}\""));
    }

    fn opt_str(&self, cx: &mut Cx, key: &str) -> Option<String> {
        let node = self.get(key)?;
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                cx.type_err(node, &self.at(key), "a string");
                None
            }
        }
    }

    fn req_str(&self, cx: &mut Cx, key: &str) -> String {
        if self.get(key).is_none() {
            self.missing(cx, key);
        }
        self.opt_str(cx, key).unwrap_or_default()
    }

    fn req_int(&self, cx: &mut Cx, key: &str) -> i64 {
        match self.get(key) {
            None => {
                self.missing(cx, key);
                0
            }
            Some(Node {
                value: Value::Int(i),
                ..
            }) => *i,
            Some(node) => {
                cx.type_err(node, &self.at(key), "an integer");
                0
            }
        }
    }

    fn req_bool(&self, cx: &mut Cx, key: &str) -> bool {
        match self.get(key) {
            None => {
                self.missing(cx, key);
                false
            }
            Some(Node {
                value: Value::Bool(b),
                ..
            }) => *b,
            Some(node) => {
                cx.type_err(node, &self.at(key), "true or false");
                false
            }
        }
    }

    /// The items of a list value with their key paths; empty when absent or mistyped.
    fn list(&self, cx: &mut Cx, key: &str, required: bool) -> Vec<(String, &'n Node)> {
        let Some(node) = self.get(key) else {
            if required {
                self.missing(cx, key);
            }
            return Vec::new();
        };
        let Value::List(items) = &node.value else {
            cx.type_err(node, &self.at(key), "a list");
            return Vec::new();
        };
        let path = self.at(key);
        items
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("{path}[{i}]"), n))
            .collect()
    }

    fn str_list(&self, cx: &mut Cx, key: &str, required: bool) -> Vec<String> {
        let mut out = Vec::new();
        for (path, node) in self.list(cx, key, required) {
            match &node.value {
                Value::Str(s) => out.push(s.clone()),
                _ => cx.type_err(node, &path, "a string"),
            }
        }
        out
    }
}

/// Converts a whole document. Errors make the result `Err` with every problem found.
pub(crate) fn from_tree(file: &str, root: &Node) -> Result<Comparison, Vec<Diagnostic>> {
    let mut cx = Cx {
        file,
        diags: Vec::new(),
    };
    cx.diags.extend(super::tree::unprintable_errors(file, root));
    let Some(top) = obj(&mut cx, root, "", TOP_KEYS) else {
        return Err(cx.diags);
    };
    let schema = top.req_str(&mut cx, "schema");
    let schema_pos = top.get("schema").map(|n| n.pos).unwrap_or(top.pos);
    let id = top.req_str(&mut cx, "id");
    let title = top.req_str(&mut cx, "title");
    let description = top.opt_str(&mut cx, "description");

    let mut layers: Vec<Layer> = top
        .list(&mut cx, "layer", true)
        .into_iter()
        .filter_map(|(p, n)| layer(&mut cx, n, &p))
        .collect();
    // Stable: layers with equal order keep file order (validation reports the clash).
    layers.sort_by_key(|l| l.order);
    let actors = top
        .list(&mut cx, "actor", false)
        .into_iter()
        .filter_map(|(p, n)| actor(&mut cx, n, &p))
        .collect();
    let guidance = top
        .list(&mut cx, "guidance", false)
        .into_iter()
        .filter_map(|(p, n)| {
            let o = obj(&mut cx, n, &p, GUIDANCE_KEYS)?;
            Some(Guidance {
                favors: o.str_list(&mut cx, "favors", true),
                text: o.req_str(&mut cx, "text"),
                pos: o.pos,
            })
        })
        .collect();
    let images = top
        .list(&mut cx, "image", false)
        .into_iter()
        .filter_map(|(p, n)| {
            let o = obj(&mut cx, n, &p, IMAGE_KEYS)?;
            Some(ImageBinding {
                path: o.req_str(&mut cx, "path"),
                show: o.req_str(&mut cx, "show"),
                pos: o.pos,
            })
        })
        .collect();
    let models: Vec<Model> = top
        .list(&mut cx, "model", true)
        .into_iter()
        .filter_map(|(p, n)| model(&mut cx, n, &p))
        .collect();
    let decision = top
        .get("decision")
        .and_then(|n| decision(&mut cx, n, "decision", &models));

    if cx.diags.iter().any(Diagnostic::is_error) {
        return Err(cx.diags);
    }
    Ok(Comparison {
        path: file.to_string(),
        schema,
        schema_pos,
        id,
        title,
        description,
        layers,
        actors,
        models,
        guidance,
        images,
        decision,
    })
}

fn layer(cx: &mut Cx, node: &Node, path: &str) -> Option<Layer> {
    let o = obj(cx, node, path, LAYER_KEYS)?;
    Some(Layer {
        id: o.req_str(cx, "id"),
        order: o.req_int(cx, "order"),
        name: o.req_str(cx, "name"),
        inset_of: o.opt_str(cx, "inset_of"),
        pos: o.pos,
    })
}

fn actor(cx: &mut Cx, node: &Node, path: &str) -> Option<Actor> {
    let o = obj(cx, node, path, ACTOR_KEYS)?;
    Some(Actor {
        id: o.req_str(cx, "id"),
        name: o.req_str(cx, "name"),
        acts_at: o.req_str(cx, "acts_at"),
        pos: o.pos,
    })
}

fn model(cx: &mut Cx, node: &Node, path: &str) -> Option<Model> {
    let o = obj(cx, node, path, MODEL_KEYS)?;
    let stack = o
        .list(cx, "stack", true)
        .into_iter()
        .filter_map(|(p, n)| {
            let s = obj(cx, n, &p, STACK_KEYS)?;
            Some(StackEntry {
                layer: s.req_str(cx, "layer"),
                trust: trust(cx, &s),
                label: s.opt_str(cx, "label"),
                pos: s.pos,
            })
        })
        .collect();
    let access_override = o
        .list(cx, "access_override", false)
        .into_iter()
        .filter_map(|(p, n)| {
            let a = obj(cx, n, &p, OVERRIDE_KEYS)?;
            Some(AccessOverride {
                actor: a.req_str(cx, "actor"),
                access: a.req_bool(cx, "access"),
                reason: a.req_str(cx, "reason"),
                pos: a.pos,
            })
        })
        .collect();
    Some(Model {
        id: o.req_str(cx, "id"),
        name: o.req_str(cx, "name"),
        deployment: o.opt_str(cx, "deployment").unwrap_or_default(),
        technologies: o.str_list(cx, "technologies", false),
        isolation_unit: o.opt_str(cx, "isolation_unit").unwrap_or_default(),
        code_changes: o.opt_str(cx, "code_changes").unwrap_or_default(),
        attestation: o.opt_str(cx, "attestation").unwrap_or_default(),
        memory: o.opt_str(cx, "memory").unwrap_or_default(),
        stack,
        access_override,
        fits: o
            .get("fits")
            .map(|n| {
                answer_map(cx, n, &o.at("fits"), "a table of input = answer(s)")
                    .into_iter()
                    .map(|(input, answers, pos)| Fit {
                        input,
                        answers,
                        pos,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        pos: o.pos,
    })
}

fn trust(cx: &mut Cx, o: &Obj) -> Trust {
    let Some(node) = o.get("trust") else {
        o.missing(cx, "trust");
        return Trust::Untrusted;
    };
    match &node.value {
        Value::Str(s) if s == "root" => Trust::Root,
        Value::Str(s) if s == "protected" => Trust::Protected,
        Value::Str(s) if s == "untrusted" => Trust::Untrusted,
        _ => {
            cx.type_err(
                node,
                &o.at("trust"),
                "one of \"root\", \"protected\", \"untrusted\"",
            );
            Trust::Untrusted
        }
    }
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
