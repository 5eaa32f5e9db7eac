//! Misfits: the shared reference with `fits` added (R4, R7, R10 send Intel answers to an
//! AMD-only model), the checked reference and the bundled data (clean), one hand-made table
//! per hit policy with its witness, `then = "none"`, and the errors in `fits` itself.

use std::path::PathBuf;

use super::super::{check, Format};
use super::*;

fn read_optional(rel: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            println!("skipped: cannot read {}: {e}", path.display());
            None
        }
    }
}

fn shown(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(ToString::to_string).collect()
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in the file"))
        + 1
}

/// Adds `fits = { cpu = … }` after each model's `memory` line: AMD on the AMD models,
/// Intel on the Intel ones ("any" fits every model).
fn with_cpu_fits(src: &str) -> String {
    let mut out = String::new();
    let mut model = String::new();
    for line in src.lines() {
        out.push_str(line);
        out.push('\n');
        if let Some(id) = line.strip_prefix("id = \"") {
            model = id.trim_end_matches('"').to_string();
        }
        if line.starts_with("memory = ") {
            let vendor = if model == "cvm-sev-snp" || model == "coco-aks" {
                "amd"
            } else {
                "intel"
            };
            out.push_str(&format!("fits = {{ cpu = [\"{vendor}\", \"any\"] }}\n"));
        }
    }
    out
}

#[test]
fn reference_with_fits_reports_r4_r7_r10_with_intel_witnesses() {
    let Some(src) = read_optional("../shared/examples/deployment-models.toml") else {
        return;
    };
    let src = with_cpu_fits(&src);
    let (cmp, diags) = check("models.toml", &src, Format::Toml);
    let cmp = cmp.expect("loaded");
    let expected = [
        ("R4", "code=containerize, guest_admin=yes, shape=cloud_native, cpu=intel"),
        ("R7", "code=containerize, guest_admin=yes, shape=full_vm, cpu=intel"),
        ("R10", "code=refactor, guest_admin=no, shape=cloud_native, cpu=intel"),
    ]
    .map(|(id, witness)| {
        let line = line_of(&src, &format!("id = \"{id}\""));
        format!(
            "models.toml:{line}:3: error: rule {id} recommends coco-aks for cpu=intel, which coco-aks \
             does not fit (fits cpu = amd, any); witness: {witness}"
        )
    });
    assert_eq!(shown(&diags), expected);
    // The symbolic search finds the same.
    assert_eq!(shown(&misfits(&cmp, Method::Symbolic)), expected);
    assert_eq!(shown(&misfits(&cmp, Method::Enumerate)), expected);
}

#[test]
fn checked_reference_and_bundled_data_are_clean() {
    for rel in [
        "../shared/examples/deployment-models-checked.toml",
        "content/deployment-models.toml",
    ] {
        let Some(src) = read_optional(rel) else {
            continue;
        };
        let (cmp, diags) = check("models.toml", &src, Format::Toml);
        assert_eq!(shown(&diags), Vec::<String>::new(), "{rel}");
        let cmp = cmp.expect("loaded");
        assert!(cmp.models.iter().all(|m| !m.fits.is_empty()), "{rel}");
        assert!(misfits(&cmp, Method::Symbolic).is_empty(), "{rel}");
    }
}

/// Two models, `x` with `fits` and `y` without, and a decision over `inputs`.
fn comparison_toml(fits: &str, policy: &str, priority: &str, inputs: &str, rules: &str) -> String {
    format!(
        r#"schema = "trustdoc-comparison/1"
id = "t"
title = "T"
layer = [{{ id = "hw", order = 1, name = "HW" }}, {{ id = "os", order = 2, name = "OS" }}]
[[model]]
id = "x"
name = "X"
stack = [{{ layer = "hw", trust = "root" }}, {{ layer = "os", trust = "protected" }}]
fits = {fits}
[[model]]
id = "y"
name = "Y"
stack = [{{ layer = "hw", trust = "root" }}, {{ layer = "os", trust = "protected" }}]
[decision]
id = "d"
hit_policy = "{policy}"
{priority}
inputs = [
{inputs}]
rules = [
{rules}
]
"#
    )
}

/// `x` fits only `cpu = amd`; inputs `code`, then `cpu`.
fn table(policy: &str, priority: &str, rules: &str) -> String {
    let inputs = r#"  { id = "code", question = "Code?", answers = ["none", "change"] },
  { id = "cpu", question = "CPU?", answers = ["amd", "intel"] },
"#;
    comparison_toml(r#"{ cpu = "amd" }"#, policy, priority, inputs, rules)
}

/// The misfit messages of a table, after checking that both methods agree.
fn misfit_messages(src: &str) -> Vec<String> {
    let (cmp, diags) = check("t.toml", src, Format::Toml);
    let cmp = cmp.expect("loaded");
    let by_enumeration = shown(&misfits(&cmp, Method::Enumerate));
    assert_eq!(by_enumeration, shown(&misfits(&cmp, Method::Symbolic)));
    let from_check: Vec<String> = diags
        .iter()
        .filter(|d| d.kind == "decision-misfit")
        .map(ToString::to_string)
        .collect();
    assert_eq!(from_check, by_enumeration);
    by_enumeration
}

fn misfit(line: usize, rule: &str, witness: &str) -> String {
    format!(
        "t.toml:{line}:3: error: rule {rule} recommends x for cpu=intel, which x does not fit \
         (fits cpu = amd); witness: {witness}"
    )
}

/// Checks a table's misfits: `expected` lists (rule id, witness) in report order.
fn expect(policy: &str, priority: &str, rules: &str, expected: &[(&str, &str)]) {
    let src = table(policy, priority, rules);
    let want: Vec<String> = expected
        .iter()
        .map(|(rule, witness)| misfit(line_of(&src, &format!("id = \"{rule}\"")), rule, witness))
        .collect();
    assert_eq!(misfit_messages(&src), want, "{policy} {priority}");
}

#[test]
fn unique_policy_reports_the_rule_with_its_witness() {
    let rules = r#"  { id = "A", when = { code = "none" }, then = "x" },
  { id = "B", when = { code = "change" }, then = "y" },"#;
    expect("U", "", rules, &[("A", "code=none, cpu=intel")]);
}

#[test]
fn first_policy_checks_only_where_the_rule_is_chosen() {
    // B is chosen only where A does not match: code=change.
    let rules = r#"  { id = "A", when = { code = "none" }, then = "y" },
  { id = "B", then = "x" },"#;
    expect("F", "", rules, &[("B", "code=change, cpu=intel")]);
    // A rule that earlier rules hide for every Intel answer is no misfit.
    let hidden = r#"  { id = "A", when = { cpu = "intel" }, then = "y" },
  { id = "B", then = "x" },"#;
    expect("F", "", hidden, &[]);
}

#[test]
fn priority_policy_checks_the_highest_ranked_match() {
    // Rule order says A, priority says B (y ranks first) wherever both match.
    let rules = r#"  { id = "A", then = "x" },
  { id = "B", when = { code = "none" }, then = "y" },"#;
    expect(
        "P",
        r#"priority = ["y", "x"]"#,
        rules,
        &[("A", "code=change, cpu=intel")],
    );
    // With x ranked first, A wins everywhere, so its smallest witness has code=none.
    expect(
        "P",
        r#"priority = ["x", "y"]"#,
        rules,
        &[("A", "code=none, cpu=intel")],
    );
}

#[test]
fn multi_hit_policies_check_every_matching_rule() {
    // Under F, A hides B on code=none; under C and R both rules count everywhere.
    let rules = r#"  { id = "A", when = { code = "none" }, then = "x" },
  { id = "B", then = "x" },"#;
    for policy in ["C", "R"] {
        expect(
            policy,
            "",
            rules,
            &[("A", "code=none, cpu=intel"), ("B", "code=none, cpu=intel")],
        );
    }
    expect(
        "F",
        "",
        rules,
        &[
            ("A", "code=none, cpu=intel"),
            ("B", "code=change, cpu=intel"),
        ],
    );
}

#[test]
fn a_rule_may_recommend_no_model_with_a_note() {
    let rules = r#"  { id = "A", when = { cpu = "amd" }, then = "x" },
  { id = "B", when = { cpu = "intel" }, then = "none", note = "Nothing here runs on Intel" },"#;
    let (_, diags) = check("t.toml", &table("U", "", rules), Format::Toml);
    assert_eq!(shown(&diags), Vec::<String>::new());

    let bare = rules.replace(", note = \"Nothing here runs on Intel\"", "");
    let src = table("U", "", &bare);
    let line = line_of(&src, "id = \"B\"");
    let (_, diags) = check("t.toml", &src, Format::Toml);
    assert_eq!(
        shown(&diags),
        [format!(
            "t.toml:{line}:3: error: decision.rules[1].note: rule B recommends no model \
             (then = \"none\"); say why in a note, which readers see"
        )]
    );
}

#[test]
fn unknown_inputs_and_answers_in_fits_are_errors() {
    let rules = r#"  { id = "A", then = "y" },"#;
    let src = table("U", "", rules).replace(
        "fits = { cpu = \"amd\" }",
        "fits = { cpu = [\"amd\", \"intl\"], cdoe = \"none\", code = [] }",
    );
    let line = line_of(&src, "fits = ");
    let (_, diags) = check("t.toml", &src, Format::Toml);
    assert_eq!(
        shown(&diags),
        [
            format!("t.toml:{line}:10: error: model[0].fits.cpu: unknown answer to \"cpu\": \"intl\"; did you mean \"intel\"? (answers: amd, intel)"),
            format!("t.toml:{line}:33: error: model[0].fits.cdoe: unknown input \"cdoe\"; did you mean \"code\"?"),
            format!("t.toml:{line}:48: error: model[0].fits.code: an empty list fits no answer; omit the input to fit any"),
        ]
    );
}

#[test]
fn a_model_cannot_be_called_none() {
    let src =
        table("U", "", r#"  { id = "A", then = "y" },"#).replace("id = \"x\"", "id = \"none\"");
    let (_, diags) = check("t.toml", &src, Format::Toml);
    assert!(
        shown(&diags)
            .iter()
            .any(|d| d.contains("model[0].id: \"none\" is reserved")),
        "{:?}",
        shown(&diags)
    );
}

#[test]
fn files_without_fits_report_no_misfits() {
    let rules = r#"  { id = "A", then = "x" },"#;
    let src = table("U", "", rules).replace("fits = { cpu = \"amd\" }\n", "");
    let (_, diags) = check("t.toml", &src, Format::Toml);
    assert_eq!(shown(&diags), Vec::<String>::new());
}

#[test]
fn large_tables_are_checked_symbolically() {
    // 8 inputs of 6 answers: 1.7 million combinations, past the enumeration limit.
    let names = ["p", "q", "r", "s", "t", "u", "v", "w"];
    let inputs: String = names
        .iter()
        .map(|n| format!("  {{ id = \"{n}\", question = \"{n}?\", answers = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"] }},\n"))
        .collect();
    let rules = r#"  { id = "A", when = { p = "a", q = "b" }, then = "y" },
  { id = "B", when = { p = "a" }, then = "x" },
  { id = "C", then = "y" },"#;
    let src = comparison_toml(r#"{ w = ["a", "f"] }"#, "F", "", &inputs, rules);
    let (cmp, diags) = check("big.toml", &src, Format::Toml);
    let cmp = cmp.expect("loaded");
    let line = line_of(&src, "id = \"B\"");
    let expected = [format!(
        "big.toml:{line}:3: error: rule B recommends x for w=b|c|d|e, which x does not fit \
         (fits w = a, f); witness: p=a, q=a, r=a, s=a, t=a, u=a, v=a, w=b"
    )];
    assert_eq!(shown(&diags), expected);
    assert_eq!(shown(&misfits(&cmp, Method::Symbolic)), expected);
}
