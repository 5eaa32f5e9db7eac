//! Schema errors in all three formats: each names `file:line:col` and the key path.

use super::super::*;
use crate::error::Diagnostic;

const TOML: &str = r#"schema = "trustdoc-comparison/1"
id = "t"
title = "T"
layer = [
  { id = "hw", order = 1, name = "Hardware" },
  { id = "os", order = 2, name = "OS" },
]

[[model]]
id = "m"
name = "M"
stack = [
  { layer = "hw", trust = "root" },
  { layer = "os", trust = "protected" },
]
"#;

const YAML: &str = "schema: trustdoc-comparison/1
id: t
title: T
layer:
  - { id: hw, order: 1, name: Hardware }
  - id: os
    order: 2
    name: OS
model:
  - id: m
    name: M
    stack:
      - { layer: hw, trust: root }
      - { layer: os, trust: protected }
";

const JSON: &str = r#"{
  "schema": "trustdoc-comparison/1",
  "id": "t",
  "title": "T",
  "layer": [
    { "id": "hw", "order": 1, "name": "Hardware" },
    { "id": "os", "order": 2, "name": "OS" }
  ],
  "model": [
    {
      "id": "m",
      "name": "M",
      "stack": [
        { "layer": "hw", "trust": "root" },
        { "layer": "os", "trust": "protected" }
      ]
    }
  ]
}
"#;

/// Runs `check` on `src` after replacing `from` (which must occur) with `to`.
fn diags(src: &str, format: Format, from: &str, to: &str) -> Vec<String> {
    assert!(src.contains(from), "test edit {from:?} does not apply");
    let (_, diags) = check("f", &src.replacen(from, to, 1), format);
    diags.iter().map(Diagnostic::to_string).collect()
}

#[test]
fn base_documents_are_clean_and_equal() {
    let loaded: Vec<_> = [
        (TOML, Format::Toml),
        (YAML, Format::Yaml),
        (JSON, Format::Json),
    ]
    .into_iter()
    .map(|(src, f)| {
        let (cmp, d) = check("f", src, f);
        assert!(d.is_empty(), "{d:?}");
        let mut c = cmp.expect("loads");
        c.models[0]
            .stack
            .iter_mut()
            .for_each(|s| s.pos = Default::default());
        (c.layers.len(), c.models[0].stack.clone())
    })
    .collect();
    assert!(loaded.iter().all(|l| l == &loaded[0]));
}

#[test]
fn syntax_errors_have_line_and_column() {
    assert_eq!(
        diags(TOML, Format::Toml, "order = 2,", "order = 2,,"),
        ["f:6:26: error: TOML syntax error: extra comma in inline table, expected key"]
    );
    assert_eq!(
        diags(YAML, Format::Yaml, "    order: 2", "   order: 2"),
        ["f:7:4: error: YAML error: while parsing a block collection, did not find expected '-' indicator"]
    );
    assert_eq!(
        diags(JSON, Format::Json, "\"T\",", "\"T\""),
        ["f:5:3: error: JSON syntax error: expected `,` or `}`"]
    );
}

#[test]
fn wrong_types_name_the_key_path() {
    let expect = |line: usize, col: usize| {
        vec![format!(
            "f:{line}:{col}: error: layer[1].order: expected an integer, found the string \"two\""
        )]
    };
    assert_eq!(
        diags(TOML, Format::Toml, "order = 2", "order = \"two\""),
        expect(6, 24)
    );
    assert_eq!(
        diags(YAML, Format::Yaml, "order: 2", "order: two"),
        expect(7, 12)
    );
    assert_eq!(
        diags(JSON, Format::Json, "\"order\": 2", "\"order\": \"two\""),
        expect(7, 28)
    );
    assert_eq!(
        diags(TOML, Format::Toml, "\"protected\"", "\"trusted\""),
        ["f:14:27: error: model[0].stack[1].trust: expected one of \"root\", \"protected\", \"untrusted\", found the string \"trusted\""]
    );
    assert_eq!(
        diags(YAML, Format::Yaml, "trust: protected", "trust: [protected]"),
        ["f:14:29: error: model[0].stack[1].trust: expected one of \"root\", \"protected\", \"untrusted\", found a list"]
    );
    assert_eq!(
        diags(JSON, Format::Json, "\"name\": \"M\"", "\"name\": 7"),
        ["f:12:15: error: model[0].name: expected a string, found an integer"]
    );
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    let expect = |key: (usize, usize), table: (usize, usize)| {
        vec![
            format!(
                "f:{}:{}: error: model[0].nmae: unknown key; did you mean \"name\"? (known keys: id, name, deployment, \
                 technologies, isolation_unit, code_changes, attestation, memory, stack, access_override, fits)",
                key.0, key.1
            ),
            format!("f:{}:{}: error: model[0]: missing required key \"name\"", table.0, table.1),
        ]
    };
    assert_eq!(
        diags(TOML, Format::Toml, "name = \"M\"", "nmae = \"M\""),
        expect((11, 1), (9, 1))
    );
    assert_eq!(
        diags(YAML, Format::Yaml, "name: M", "nmae: M"),
        expect((11, 5), (10, 5))
    );
    assert_eq!(
        diags(JSON, Format::Json, "\"name\": \"M\"", "\"nmae\": \"M\""),
        expect((12, 7), (10, 5))
    );
    let top = diags(
        TOML,
        Format::Toml,
        "title = \"T\"",
        "title = \"T\"\ncolour = 1",
    );
    assert_eq!(top.len(), 1);
    assert!(
        top[0].starts_with("f:4:1: error: colour: unknown key (known keys: schema, "),
        "{top:?}"
    );
}

#[test]
fn unknown_ids_are_reported_in_each_format() {
    let expect = |line: usize, col: usize| {
        vec![format!("f:{line}:{col}: error: model[0].stack[1].layer: unknown layer \"oss\"; did you mean \"os\"?")]
    };
    assert_eq!(
        diags(TOML, Format::Toml, "layer = \"os\"", "layer = \"oss\""),
        expect(14, 3)
    );
    assert_eq!(
        diags(YAML, Format::Yaml, "layer: os", "layer: oss"),
        expect(14, 9)
    );
    assert_eq!(
        diags(
            JSON,
            Format::Json,
            "\"layer\": \"os\"",
            "\"layer\": \"oss\""
        ),
        expect(15, 9)
    );
}

#[test]
fn missing_keys_and_non_table_documents() {
    assert_eq!(
        diags(TOML, Format::Toml, "id = \"t\"\n", ""),
        ["f:1:1: error: the top level: missing required key \"id\""]
    );
    assert_eq!(
        diags(
            YAML,
            Format::Yaml,
            "      - { layer: hw, trust: root }",
            "      - { layer: hw }"
        ),
        ["f:13:9: error: model[0].stack[0]: missing required key \"trust\""]
    );
    let (cmp, d) = check("f", "- just\n- a list\n", Format::Yaml);
    assert!(cmp.is_none());
    assert_eq!(
        d[0].to_string(),
        "f:1:1: error: the document: expected a table, found a list"
    );
    let (_, d) = check("f", "[]", Format::Json);
    assert_eq!(
        d[0].to_string(),
        "f:1:1: error: the document: expected a table, found a list"
    );
}

#[test]
fn duplicate_keys_are_syntax_errors() {
    assert_eq!(
        diags(YAML, Format::Yaml, "name: M", "name: M\n    name: N"),
        ["f:12:5: error: YAML error: duplicate mapping key `name` is not allowed here"]
    );
    let toml = diags(
        TOML,
        Format::Toml,
        "name = \"M\"",
        "name = \"M\"\nname = \"N\"",
    );
    assert_eq!(toml.len(), 1);
    assert!(
        toml[0].starts_with("f:12:1: error: TOML syntax error: duplicate key"),
        "{toml:?}"
    );
}

const DECISION: &str = r#"
[decision]
id = "d"
hit_policy = "U"
inputs = [{ id = "q", question = "Q?", answers = ["yes", "no"] }]
rules = [
  { id = "R1", when = { q = "yes" }, then = "m" },
  { id = "R2", when = { q = ["no"] }, then = "m", note = "n" },
]
"#;

#[test]
fn decisions_load_with_string_or_list_answers() {
    let src = format!("{TOML}{DECISION}");
    let (cmp, d) = check("f", &src, Format::Toml);
    assert!(d.is_empty(), "{d:?}");
    let dec = cmp.and_then(|c| c.decision).expect("decision");
    assert_eq!(dec.rules[0].when["q"], ["yes"]);
    assert_eq!(dec.rules[1].when["q"], ["no"]);
    assert_eq!(dec.rules[1].note.as_deref(), Some("n"));
    assert_eq!(dec.priority, ["m"]);
    let bad = src.replace("q = [\"no\"]", "q = [\"no\", 3]");
    let (_, d) = check("f", &bad, Format::Toml);
    assert_eq!(
        d[0].to_string(),
        "f:23:36: error: decision.rules[1].when.q[1]: expected a string, found an integer"
    );
    let bad = src.replace("\"U\"", "\"X\"");
    let (_, d) = check("f", &bad, Format::Toml);
    assert_eq!(
        d[0].to_string(),
        "f:19:14: error: decision.hit_policy: expected one of \"U\", \"A\", \"P\", \"F\", \"C\", \"R\", \"O\", found the string \"X\""
    );
}

#[test]
fn yaml_yes_and_no_stay_strings() {
    let src = format!(
        "{YAML}decision:\n  id: d\n  hit_policy: F\n  inputs:\n    - {{ id: q, question: Q?, answers: [yes, no] }}\n  rules:\n    - {{ id: R1, when: {{ q: yes }}, then: m }}\n    - {{ id: R2, then: m }}\n"
    );
    let (cmp, d) = check("f", &src, Format::Yaml);
    assert!(d.is_empty(), "{d:?}");
    let dec = cmp.and_then(|c| c.decision).expect("decision");
    assert_eq!(dec.inputs[0].answers, ["yes", "no"]);
    assert_eq!(dec.rules[0].when["q"], ["yes"]);
}

#[test]
fn yaml_alias_bomb_fails_fast() {
    let mut src = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        src.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let start = std::time::Instant::now();
    let result = load("bomb.yaml", &src, Format::Yaml);
    let elapsed = start.elapsed();
    let errors = result.expect_err("an alias bomb must not load");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].to_string().starts_with("bomb.yaml:"),
        "{}",
        errors[0]
    );
    assert!(errors[0].line > 0, "{}", errors[0]);
    assert!(
        errors[0].message.contains("too large or too complex"),
        "{}",
        errors[0]
    );
    // Generous bound for a loaded debug build; expanding the bomb would take hours.
    assert!(elapsed.as_secs() < 5, "took {elapsed:?}");
}

#[test]
fn small_aliases_still_work() {
    let src = YAML.replace("name: M", "name: &n M\n    isolation_unit: *n");
    let cmp = load("f", &src, Format::Yaml).expect("loads");
    assert_eq!(cmp.models[0].isolation_unit, "M");
}

#[test]
fn table_headers_and_byte_order_marks_keep_positions() {
    let src = "\u{feff}schema = \"trustdoc-comparison/1\"
id = \"t\"
title = \"T\"

[[layer]]
id = \"os\"
order = 2
name = \"OS\"

[[layer]]
id = \"hw\"
order = 1
name = \"Hardware\"

[[model]]
id = \"m\"
name = \"M\"
stack = [{ layer = \"hw\", trust = \"root\" }, { layer = \"os\", trust = \"protected\" }]

[decision]
id = \"d\"
hit_policy = \"F\"
inputs = [{ id = \"q\", question = \"Q?\", answers = [\"a\", \"b\"] }]

[[decision.rules]]
id = \"R1\"
then = \"m\"
when.q = \"a\"

[[decision.rules]]
id = \"R2\"
then = \"m\"
";
    let (cmp, diags) = check("h.toml", src, Format::Toml);
    assert!(diags.is_empty(), "{diags:?}");
    let cmp = cmp.expect("loads");
    // Sorted by order; positions are the headers, with the mark not counted.
    assert_eq!(cmp.layers[0].id, "hw");
    assert_eq!((cmp.layers[0].pos.line, cmp.layers[0].pos.col), (10, 1));
    assert_eq!((cmp.schema_pos.line, cmp.schema_pos.col), (1, 10));
    let d = cmp.decision.expect("decision");
    assert_eq!(d.pos.line, 20);
    assert_eq!(d.rules[0].when["q"], ["a"]);
    assert_eq!((d.rules[1].pos.line, d.rules[1].pos.col), (30, 1));
    let (_, d) = check("b.json", "\u{feff}{\"schema\": 1}", Format::Json);
    assert_eq!(
        d[0].to_string(),
        "b.json:1:12: error: schema: expected a string, found an integer"
    );
}
