//! The decision table part of loading: inputs, rules (`when` tables of input = answer or
//! answers), the hit policy and the output priority. Positions and key paths are reported
//! like the rest of the loader's errors; references are checked later, in `validate`.

use std::collections::BTreeMap;

use super::{join, obj, Cx, Obj};
use crate::compare::model::{Decision, HitPolicy, Input, Model, Pos, Rule};
use crate::compare::tree::{Node, Value};

const DECISION_KEYS: &[&str] = &["id", "hit_policy", "inputs", "rules", "priority"];
const INPUT_KEYS: &[&str] = &["id", "question", "answers"];
const RULE_KEYS: &[&str] = &["id", "when", "then", "note"];

fn hit_policy(cx: &mut Cx, o: &Obj) -> HitPolicy {
    let Some(node) = o.get("hit_policy") else {
        o.missing(cx, "hit_policy");
        return HitPolicy::U;
    };
    let policy = match &node.value {
        Value::Str(s) => match s.as_str() {
            "U" => Some(HitPolicy::U),
            "A" => Some(HitPolicy::A),
            "P" => Some(HitPolicy::P),
            "F" => Some(HitPolicy::F),
            "C" => Some(HitPolicy::C),
            "R" => Some(HitPolicy::R),
            "O" => Some(HitPolicy::O),
            _ => None,
        },
        _ => None,
    };
    policy.unwrap_or_else(|| {
        cx.type_err(
            node,
            &o.at("hit_policy"),
            "one of \"U\", \"A\", \"P\", \"F\", \"C\", \"R\", \"O\"",
        );
        HitPolicy::U
    })
}

pub(super) fn decision(cx: &mut Cx, node: &Node, path: &str, models: &[Model]) -> Option<Decision> {
    let o = obj(cx, node, path, DECISION_KEYS)?;
    let inputs = o
        .list(cx, "inputs", true)
        .into_iter()
        .filter_map(|(p, n)| {
            let i = obj(cx, n, &p, INPUT_KEYS)?;
            Some(Input {
                id: i.req_str(cx, "id"),
                question: i.req_str(cx, "question"),
                answers: i.str_list(cx, "answers", true),
                pos: i.pos,
            })
        })
        .collect();
    let rules = o
        .list(cx, "rules", true)
        .into_iter()
        .filter_map(|(p, n)| rule(cx, n, &p))
        .collect();
    // Default output priority is model order, so `evaluate` needs only the decision.
    let priority = if o.get("priority").is_some() {
        o.str_list(cx, "priority", false)
    } else {
        let mut ids: Vec<String> = Vec::new();
        for m in models {
            if !ids.contains(&m.id) {
                ids.push(m.id.clone());
            }
        }
        ids
    };
    Some(Decision {
        id: o.req_str(cx, "id"),
        hit_policy: hit_policy(cx, &o),
        inputs,
        rules,
        priority,
        pos: o.pos,
    })
}

/// A table of input id = answer or list of answers (a rule's `when`, a model's `fits`),
/// each with the position of its key.
pub(super) fn answer_map(
    cx: &mut Cx,
    node: &Node,
    path: &str,
    expected: &str,
) -> Vec<(String, Vec<String>, Pos)> {
    let Value::Map(entries) = &node.value else {
        cx.type_err(node, path, expected);
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let epath = join(path, &e.key);
        let answers = match &e.node.value {
            Value::Str(s) => vec![s.clone()],
            Value::List(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| match &n.value {
                    Value::Str(s) => Some(s.clone()),
                    _ => {
                        cx.type_err(n, &format!("{epath}[{i}]"), "a string");
                        None
                    }
                })
                .collect(),
            _ => {
                cx.type_err(&e.node, &epath, "an answer or a list of answers");
                continue;
            }
        };
        out.push((e.key.clone(), answers, e.key_pos));
    }
    out
}

fn rule(cx: &mut Cx, node: &Node, path: &str) -> Option<Rule> {
    let o = obj(cx, node, path, RULE_KEYS)?;
    let when = match o.get("when") {
        Some(w) => answer_map(cx, w, &o.at("when"), "a table of input = answer(s)")
            .into_iter()
            .map(|(input, answers, _)| (input, answers))
            .collect(),
        None => BTreeMap::new(),
    };
    Some(Rule {
        id: o.req_str(cx, "id"),
        when,
        then: o.req_str(cx, "then"),
        note: o.opt_str(cx, "note"),
        pos: o.pos,
    })
}
