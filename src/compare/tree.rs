//! A small source-positioned value tree that all three input formats parse into, so one
//! converter (`load.rs`) can turn any of them into the typed model and name `file:line:col`
//! plus the key path in every error. TOML comes from `toml`'s spanned document parser;
//! YAML from `serde-saphyr` with its `Spanned` wrapper and a tight alias/node budget
//! (billion-laughs documents fail fast); JSON is checked for syntax by `serde_json` (the
//! strict JSON grammar) and then read through the YAML path, since JSON is YAML flow syntax.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{MessageFormatter, Spanned};

use super::model::Pos;
use crate::error::LineIndex;

/// One value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A TOML date/time, kept as its text (the schema has no use for one).
    DateTime(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) key_pos: Pos,
    pub(crate) node: Node,
}

impl Value {
    /// What the value is, for "expected X, found Y" messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::DateTime(_) => "a date-time",
            Value::List(_) => "a list",
            Value::Map(_) => "a table",
        }
    }
}

/// Errors for strings and keys holding a character XML cannot carry (C0 controls other
/// than tab and line breaks, U+FFFE, U+FFFF): names end up in SVG, which would then not
/// parse. Each string is reported once, at its position.
pub(crate) fn unprintable_errors(file: &str, root: &Node) -> Vec<crate::error::Diagnostic> {
    let mut found = Vec::new();
    unprintable(root, &mut found);
    found
        .into_iter()
        .map(|(pos, c)| {
            let msg = format!(
                "this text holds the control character U+{:04X}, which HTML and SVG cannot \
                 carry; remove it",
                c as u32
            );
            crate::error::Diagnostic::error(file, pos.line, pos.col, "comparison-schema", msg)
        })
        .collect()
}

fn unprintable(node: &Node, out: &mut Vec<(Pos, char)>) {
    let bad = |s: &str| {
        s.chars().find(|&c| {
            (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
        })
    };
    match &node.value {
        Value::Str(s) => out.extend(bad(s).map(|c| (node.pos, c))),
        Value::List(items) => items.iter().for_each(|n| unprintable(n, out)),
        Value::Map(entries) => {
            for e in entries {
                out.extend(bad(&e.key).map(|c| (e.key_pos, c)));
                unprintable(&e.node, out);
            }
        }
        _ => {}
    }
}

/// A syntax error with its position (1-based; 0 = unknown).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyntaxError {
    pub(crate) pos: Pos,
    pub(crate) message: String,
}

fn pos_of(index: &LineIndex, src: &str, offset: usize) -> Pos {
    let (line, col) = index.locate(src, offset);
    Pos { line, col }
}

/// Parses TOML into a tree. Table entries come out in source order.
pub(crate) fn parse_toml(src: &str) -> Result<Node, SyntaxError> {
    let index = LineIndex::new(src);
    match toml::de::DeTable::parse(src) {
        Ok(doc) => {
            let span = doc.span();
            let mut root = toml_table(doc.get_ref(), &index, src);
            root.pos = pos_of(&index, src, span.start);
            Ok(root)
        }
        Err(err) => {
            let pos = err
                .span()
                .map(|s| pos_of(&index, src, s.start))
                .unwrap_or_default();
            Err(SyntaxError {
                pos,
                message: format!("TOML syntax error: {}", err.message().trim_end()),
            })
        }
    }
}

fn toml_table(table: &toml::de::DeTable<'_>, index: &LineIndex, src: &str) -> Node {
    let mut entries: Vec<(usize, Entry)> = table
        .iter()
        .map(|(k, v)| {
            let start = k.span().start;
            let entry = Entry {
                key: k.get_ref().to_string(),
                key_pos: pos_of(index, src, start),
                node: toml_value(v, index, src),
            };
            (start, entry)
        })
        .collect();
    // The parser's map is sorted by key; users expect errors in file order.
    entries.sort_by_key(|(start, _)| *start);
    Node {
        value: Value::Map(entries.into_iter().map(|(_, e)| e).collect()),
        pos: Pos::default(),
    }
}

fn toml_value(v: &toml::Spanned<toml::de::DeValue<'_>>, index: &LineIndex, src: &str) -> Node {
    use toml::de::DeValue;
    let pos = pos_of(index, src, v.span().start);
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Int(n),
            // Out of range for i64: keep it as a float so the type error still reads well.
            Err(_) => Value::Float(f64::INFINITY),
        },
        DeValue::Float(f) => Value::Float(f.as_str().parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::DateTime(d.to_string()),
        DeValue::Array(items) => {
            Value::List(items.iter().map(|i| toml_value(i, index, src)).collect())
        }
        DeValue::Table(t) => toml_table(t, index, src).value,
    };
    Node { value, pos }
}

/// Limits that keep hostile YAML (alias bombs, deep nesting) cheap to reject.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 200_000;
    budget.max_nodes = 100_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 48;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = 16 * 1024 * 1024;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 20_000;
    alias_limits.max_replay_stack_depth = 16;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits = alias_limits;
    options.with_snippet = false;
    // YAML 1.2: `yes` and `no` are answers (strings), not booleans.
    options.strict_booleans = true;
    options
}

/// Parses YAML into a tree.
pub(crate) fn parse_yaml(src: &str) -> Result<Node, SyntaxError> {
    match serde_saphyr::from_str_with_options::<SpannedNode>(src, yaml_options()) {
        Ok(SpannedNode(node)) => Ok(node),
        Err(err) => Err(saphyr_error("YAML", &err)),
    }
}

fn saphyr_error(format: &str, err: &serde_saphyr::Error) -> SyntaxError {
    let pos = err
        .location()
        .map(|l| Pos {
            line: l.line() as usize,
            col: l.column() as usize,
        })
        .unwrap_or_default();
    // Alias and snippet wrappers only add positions; the message is the innermost error.
    let mut inner = err;
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = inner
    {
        inner = error;
    }
    let message = serde_saphyr::UserMessageFormatter.format_message(inner);
    SyntaxError {
        pos,
        message: format!("{format} error: {}", message.trim()),
    }
}

/// Parses JSON into a tree: strict syntax check first, then the positioned YAML reading.
pub(crate) fn parse_json(src: &str) -> Result<Node, SyntaxError> {
    if let Err(err) = serde_json::from_str::<de::IgnoredAny>(src) {
        let text = err.to_string();
        // The position is reported separately, in our own format.
        let message = match text.rfind(" at line ").and_then(|i| text.get(..i)) {
            Some(head) => head.to_string(),
            None => text.clone(),
        };
        return Err(SyntaxError {
            pos: Pos {
                line: err.line(),
                col: err.column(),
            },
            message: format!("JSON syntax error: {message}"),
        });
    }
    // Tabs are legal JSON whitespace but not YAML indentation; as separators they carry no
    // meaning outside strings (and inside strings JSON forbids raw tabs), so spaces are
    // equivalent and keep every column where it was.
    let spaced = src.replace('\t', " ");
    match serde_saphyr::from_str_with_options::<SpannedNode>(&spaced, yaml_options()) {
        Ok(SpannedNode(node)) => Ok(node),
        Err(err) => Err(saphyr_error("JSON", &err)),
    }
}

/// A tree node read through serde with its YAML position.
struct SpannedNode(Node);

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<PlainValue>::deserialize(d)?;
        let loc = spanned.referenced;
        Ok(SpannedNode(Node {
            value: spanned.value.0,
            pos: Pos {
                line: loc.line() as usize,
                col: loc.column() as usize,
            },
        }))
    }
}

struct PlainValue(Value);

impl<'de> Deserialize<'de> for PlainValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(PlainValue)
    }
}

/// A mapping key: YAML allows any scalar, the schema only uses strings.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(ValueVisitor)? {
            Value::Str(s) => Ok(KeyText(s)),
            Value::Int(i) => Ok(KeyText(i.to_string())),
            Value::Bool(b) => Ok(KeyText(b.to_string())),
            Value::Float(f) => Ok(KeyText(f.to_string())),
            Value::Null => Ok(KeyText("null".to_string())),
            other => Err(de::Error::custom(format!(
                "mapping keys must be strings, found {}",
                other.kind()
            ))),
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Int)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(SpannedNode(node)) = seq.next_element::<SpannedNode>()? {
            items.push(node);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let SpannedNode(node) = map.next_value::<SpannedNode>()?;
            entries.push(Entry {
                key: key.value.0,
                key_pos: Pos {
                    line: key.referenced.line() as usize,
                    col: key.referenced.column() as usize,
                },
                node,
            });
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn control_characters_are_errors_at_their_string() {
        let root = parse_toml("a = \"ok\"\n[b]\nc = [\"x\\u0000y\"]\n").expect("parses");
        let errs = unprintable_errors("m.toml", &root);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!((errs[0].line, errs[0].col), (3, 6));
        assert!(errs[0].message.contains("U+0000"));
    }

    use super::*;

    fn map(node: &Node) -> &[Entry] {
        match &node.value {
            Value::Map(e) => e,
            other => panic!("expected a map, got {other:?}"),
        }
    }

    #[test]
    fn toml_positions_and_order() {
        let src = "b = 1\na = \"x\"\n\n[[t]]\nk = [true, 2.5]\n";
        let root = parse_toml(src).unwrap();
        let e = map(&root);
        assert_eq!(e[0].key, "b");
        assert_eq!(e[1].key, "a");
        assert_eq!((e[1].key_pos.line, e[1].key_pos.col), (2, 1));
        assert_eq!((e[1].node.pos.line, e[1].node.pos.col), (2, 5));
        let Value::List(tables) = &e[2].node.value else {
            panic!()
        };
        assert_eq!(tables[0].pos.line, 4);
        let inner = map(&tables[0]);
        let Value::List(k) = &inner[0].node.value else {
            panic!()
        };
        assert_eq!(k[1].value, Value::Float(2.5));
        assert_eq!((k[1].pos.line, k[1].pos.col), (5, 12));
    }

    #[test]
    fn yaml_positions_and_scalars() {
        let src = "a: 1\nb:\n  - x\n  - {c: true, d: ~}\n";
        let root = parse_yaml(src).unwrap();
        let e = map(&root);
        assert_eq!(e[0].node.value, Value::Int(1));
        assert_eq!((e[1].key_pos.line, e[1].key_pos.col), (2, 1));
        let Value::List(items) = &e[1].node.value else {
            panic!()
        };
        assert_eq!((items[0].pos.line, items[0].pos.col), (3, 5));
        assert_eq!((items[1].pos.line, items[1].pos.col), (4, 5));
        let inner = map(&items[1]);
        assert_eq!(inner[0].node.value, Value::Bool(true));
        assert_eq!(inner[1].node.value, Value::Null);
        assert_eq!((inner[1].key_pos.line, inner[1].key_pos.col), (4, 15));
    }

    #[test]
    fn json_positions_with_tabs_and_tight_colons() {
        let src = "{\n\t\"a\":\"x\\u00e9\",\n\t\"b\": [1,\n\t\t{\"c\":null}]\n}";
        let root = parse_json(src).unwrap();
        let e = map(&root);
        assert_eq!(e[0].node.value, Value::Str("xé".into()));
        assert_eq!((e[0].key_pos.line, e[0].key_pos.col), (2, 2));
        let Value::List(items) = &e[1].node.value else {
            panic!()
        };
        assert_eq!((items[1].pos.line, items[1].pos.col), (4, 3));
    }

    #[test]
    fn json_syntax_error_has_position() {
        let err = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!((err.pos.line, err.pos.col), (3, 7));
        assert!(
            err.message.starts_with("JSON syntax error: expected `:`"),
            "{}",
            err.message
        );
    }
}
