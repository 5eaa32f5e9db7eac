//! One test per validation rule: each asserts the message and the line it points at.

use super::super::*;
use crate::error::{Diagnostic, Severity};

const BASE: &str = r#"schema = "trustdoc-comparison/1"
id = "base"
title = "Base"
layer = [
  { id = "hw", order = 10, name = "Hardware" },
  { id = "hv", order = 20, name = "Hypervisor" },
  { id = "os", order = 30, name = "Guest OS" },
  { id = "app", order = 40, name = "App" },
  { id = "vault", order = 50, name = "Vault", inset_of = "app" },
]
actor = [
  { id = "op", name = "Operator", acts_at = "hv" },
  { id = "admin", name = "Admin", acts_at = "os" },
]
guidance = [{ favors = ["vm"], text = "Lift and shift" }]
image = [{ path = "media/a.png", show = "vm" }]

[[model]]
id = "vm"
name = "VM"
stack = [
  { layer = "hw", trust = "root" },
  { layer = "hv", trust = "untrusted" },
  { layer = "os", trust = "protected" },
  { layer = "app", trust = "protected" },
]
access_override = [{ actor = "admin", access = false, reason = "No login" }]

[[model]]
id = "box"
name = "Box"
stack = [
  { layer = "hw", trust = "root" },
  { layer = "app", trust = "untrusted" },
  { layer = "vault", trust = "protected" },
]

[decision]
id = "pick"
hit_policy = "U"
inputs = [
  { id = "secret", question = "Small secret?", answers = ["yes", "no"] },
]
rules = [
  { id = "R1", when = { secret = "yes" }, then = "box" },
  { id = "R2", when = { secret = "no" }, then = "vm" },
]
"#;

/// Validation diagnostics after replacing `from` (which must occur once) with `to`.
fn validate_edit(from: &str, to: &str) -> Vec<Diagnostic> {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "test edit {from:?} must match once"
    );
    let src = BASE.replacen(from, to, 1);
    let cmp = load("v.toml", &src, Format::Toml).unwrap_or_else(|e| panic!("{e:?}"));
    validate(&cmp)
}

/// Asserts exactly one diagnostic with this severity, line and message.
fn expect_one(diags: &[Diagnostic], severity: Severity, line: usize, message: &str) {
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(diags.len(), 1, "{shown:#?}");
    assert_eq!(
        (diags[0].severity, diags[0].line, diags[0].message.as_str()),
        (severity, line, message)
    );
}

fn error(from: &str, to: &str, line: usize, message: &str) {
    expect_one(&validate_edit(from, to), Severity::Error, line, message);
}

#[test]
fn base_is_clean() {
    let (_, diags) = check("v.toml", BASE, Format::Toml);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn schema_version_must_be_supported() {
    let msg = "schema: unsupported schema \"trustdoc-comparison/0\"; this version of trustdoc reads trustdoc-comparison/1";
    error("comparison/1", "comparison/0", 1, msg);
}

#[test]
fn ids_are_unique() {
    error(
        "  { id = \"hv\"",
        "  { id = \"hw\", order = 15, name = \"Again\" },\n  { id = \"hv\"",
        6,
        "layer[1].id: duplicate layer id \"hw\" (first defined at line 5)",
    );
    error(
        "{ id = \"admin\"",
        "{ id = \"op\", name = \"x\", acts_at = \"hw\" },\n  { id = \"admin\"",
        13,
        "actor[1].id: duplicate actor id \"op\" (first defined at line 12)",
    );
    let again = "then = \"vm\" },\n]\n\n[[model]]\nid = \"vm\"\nname = \"Again\"\nstack = [{ layer = \"os\", trust = \"protected\" }]\n";
    error(
        "then = \"vm\" },\n]\n",
        again,
        49,
        "model[2].id: duplicate model id \"vm\" (first defined at line 18)",
    );
    error(
        "id = \"R2\"",
        "id = \"R1\"",
        46,
        "decision.rules[1].id: duplicate rule id \"R1\" (first defined at line 45)",
    );
    error(
        "answers = [\"yes\", \"no\"]",
        "answers = [\"yes\", \"no\", \"yes\"]",
        42,
        "decision.inputs[0].answers[2]: duplicate answer id \"yes\" (first defined at line 42)",
    );
    let diags = validate_edit(
        "  { id = \"secret\"",
        "  { id = \"other\", question = \"?\", answers = [\"a\"] },\n  { id = \"other\"",
    );
    assert!(
        diags.iter().any(|d| d.line == 43
            && d.message
                .starts_with("decision.inputs[1].id: duplicate input id \"other\"")),
        "{diags:?}"
    );
    error(
        "id = \"op\"",
        "id = \" \"",
        12,
        "actor[0].id: the actor id must not be empty",
    );
}

#[test]
fn layer_orders_are_unique() {
    let msg = "layer[1].order: layers \"hw\" and \"hv\" both have order 10; each layer needs its own place in the stack";
    error("order = 20", "order = 10", 6, msg);
}

#[test]
fn references_resolve_with_suggestions() {
    error(
        "acts_at = \"hv\"",
        "acts_at = \"hvv\"",
        12,
        "actor[0].acts_at: unknown layer \"hvv\"; did you mean \"hv\"?",
    );
    error(
        "inset_of = \"app\"",
        "inset_of = \"apps\"",
        9,
        "layer[4].inset_of: unknown layer \"apps\"; did you mean \"app\"?",
    );
    error(
        "actor = \"admin\"",
        "actor = \"admn\"",
        27,
        "model[0].access_override[0].actor: unknown actor \"admn\"; did you mean \"admin\"?",
    );
    error(
        "favors = [\"vm\"]",
        "favors = [\"vn\"]",
        15,
        "guidance[0].favors[0]: unknown model \"vn\"; did you mean \"vm\"?",
    );
    error(
        "show = \"vm\"",
        "show = \"al\"",
        16,
        "image[0].show: unknown model (or \"all\") \"al\"; did you mean \"all\"?",
    );
    error(
        "then = \"box\"",
        "then = \"bx\"",
        45,
        "decision.rules[0].then: unknown model \"bx\"; did you mean \"box\"?",
    );
    error(
        "{ secret = \"no\" }",
        "{ secrets = \"no\" }",
        46,
        "decision.rules[1].when.secrets: unknown input \"secrets\"; did you mean \"secret\"?",
    );
    error(
        "{ secret = \"no\" }",
        "{ secret = \"noo\" }",
        46,
        "decision.rules[1].when.secret: unknown answer to \"secret\" \"noo\"; did you mean \"no\"?",
    );
    // No hint when nothing is close.
    error(
        "then = \"box\"",
        "then = \"quartz\"",
        45,
        "decision.rules[0].then: unknown model \"quartz\"",
    );
}

#[test]
fn stacks_follow_layer_order() {
    let msg = "model[0].stack[2].layer: layer \"hv\" (order 20) is listed after \"os\" (order 30); list the stack bottom to top in layer order";
    error(
        "  { layer = \"hv\", trust = \"untrusted\" },\n  { layer = \"os\", trust = \"protected\" },",
        "  { layer = \"os\", trust = \"protected\" },\n  { layer = \"hv\", trust = \"untrusted\" },",
        24,
        msg,
    );
    let msg =
        "model[1].stack[2].layer: layer \"app\" is already in this stack at model[1].stack[1]";
    error(
        "{ layer = \"vault\", trust = \"protected\" }",
        "{ layer = \"app\", trust = \"protected\" }",
        35,
        msg,
    );
}

#[test]
fn each_model_protects_a_layer() {
    let msg = "model[1].stack: model \"box\" protects no layer; at least one entry needs trust = \"protected\"";
    error(
        "{ layer = \"vault\", trust = \"protected\" }",
        "{ layer = \"vault\", trust = \"root\" }",
        29,
        msg,
    );
}

#[test]
fn insets_are_consistent() {
    error(
        "inset_of = \"app\"",
        "inset_of = \"vault\"",
        9,
        "layer[4].inset_of: layer \"vault\" cannot be an inset of itself",
    );
    error(
        "inset_of = \"app\" },",
        "inset_of = \"app\" },\n  { id = \"slot\", order = 60, name = \"Slot\", inset_of = \"vault\" },",
        10,
        "layer[5].inset_of: \"vault\" is itself an inset; an inset must sit inside a full-width layer",
    );
    error(
        "inset_of = \"app\" },",
        "inset_of = \"app\" },\n  { id = \"chip\", order = 5, name = \"Chip\", inset_of = \"hw\" },",
        10,
        "layer[5].inset_of: inset layer \"chip\" has order 5, which must be greater than the order 10 of \"hw\"",
    );
    error(
        "  { layer = \"app\", trust = \"untrusted\" },\n",
        "",
        34,
        "model[1].stack[1].layer: the stack has inset layer \"vault\" but not \"app\", the layer it sits in",
    );
}

#[test]
fn access_overrides_need_a_reason_and_a_change() {
    error("reason = \"No login\"", "reason = \"  \"", 27, "model[0].access_override[0].reason: an access override must say why (the reason is shown to readers)");
    let diags = validate_edit("access = false", "access = true");
    let msg = "model[0].access_override[0].access: the override changes nothing: the stack already gives access = true \
               (acts from Guest OS, inside the trust boundary); remove it or fix the stack";
    expect_one(&diags, Severity::Warning, 27, msg);
    error(
        "reason = \"No login\" }",
        "reason = \"No login\" }, { actor = \"admin\", access = false, reason = \"Again\" }",
        27,
        "model[0].access_override[1].actor: actor \"admin\" already has an override at model[0].access_override[0]",
    );
}

#[test]
fn image_paths_stay_relative_and_inside() {
    error("media/a.png", "/srv/media/a.png", 16, "image[0].path: \"/srv/media/a.png\" is absolute; image paths are relative to the comparison file");
    error("\"media/a.png\"", "'C:\\media\\a.png'", 16, "image[0].path: \"C:\\media\\a.png\" is absolute; image paths are relative to the comparison file");
    error(
        "media/a.png",
        "media/../../a.png",
        16,
        "image[0].path: \"media/../../a.png\" leaves the comparison file's folder; image paths must stay inside it",
    );
    assert!(validate_edit("media/a.png", "media/x/../a.png").is_empty());
    error(
        "{ path = \"media/a.png\", show = \"vm\" }",
        "{ path = \"media/a.png\", show = \"vm\" }, { path = \"media/a.png\", show = \"all\" }",
        16,
        "image[1].path: \"media/a.png\" is already bound by image[0]",
    );
}

#[test]
fn decision_inputs_rules_and_priority() {
    error(
        "answers = [\"yes\", \"no\"] },",
        "answers = [\"yes\", \"no\"] },\n  { id = \"extra\", question = \"?\", answers = [] },",
        43,
        "decision.inputs[1].answers: input \"extra\" needs at least one answer",
    );
    error(
        "{ secret = \"no\" }",
        "{ secret = [] }",
        46,
        "decision.rules[1].when.secret: an empty list matches no answer; omit the input to match any",
    );
    error(
        "hit_policy = \"U\"",
        "hit_policy = \"U\"\npriority = [\"vm\", \"bx\"]",
        38,
        "decision.priority[1]: unknown model \"bx\"; did you mean \"box\"?",
    );
    error(
        "hit_policy = \"U\"",
        "hit_policy = \"P\"\npriority = [\"vm\"]",
        46,
        "decision.rules[0].then: \"box\" is missing from decision.priority, which hit policy P needs to rank outputs",
    );
}
