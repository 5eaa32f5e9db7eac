//! Whole-file tests of the comparison loader: the reference file, the same data as YAML
//! and JSON, an unrelated comparison, and `sniff`.

use std::path::PathBuf;

use super::model::*;
use super::*;

fn manifest_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Reads a file next to the crate; `None` (with a note) when it is not there.
fn read_optional(rel: &str) -> Option<String> {
    let path = manifest_path(rel);
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(e) => {
            println!("skipping: cannot read {}: {e}", path.display());
            None
        }
    }
}

fn read_fixture(name: &str) -> String {
    let path = manifest_path("tests/fixtures/compare").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The comparison with every position and the path cleared, to compare across formats.
fn without_positions(mut c: Comparison) -> Comparison {
    let zero = Pos::default();
    c.path.clear();
    c.schema_pos = zero;
    c.layers.iter_mut().for_each(|l| l.pos = zero);
    c.actors.iter_mut().for_each(|a| a.pos = zero);
    c.guidance.iter_mut().for_each(|g| g.pos = zero);
    c.images.iter_mut().for_each(|i| i.pos = zero);
    for m in &mut c.models {
        m.pos = zero;
        m.stack.iter_mut().for_each(|s| s.pos = zero);
        m.access_override.iter_mut().for_each(|o| o.pos = zero);
    }
    if let Some(d) = &mut c.decision {
        d.pos = zero;
        d.inputs.iter_mut().for_each(|i| i.pos = zero);
        d.rules.iter_mut().for_each(|r| r.pos = zero);
    }
    c
}

fn assert_clean(diags: &[crate::error::Diagnostic]) {
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert!(
        diags.is_empty(),
        "unexpected diagnostics:\n{}",
        shown.join("\n")
    );
}

#[test]
fn reference_file_loads_without_problems() {
    let Some(src) = read_optional("../shared/examples/deployment-models.toml") else {
        return;
    };
    assert_eq!(sniff("deployment-models.toml", &src), Some(Format::Toml));
    let (cmp, diags) = check("models.toml", &src, Format::Toml);
    assert_clean(&diags);
    let cmp = cmp.expect("loaded");
    assert_eq!(cmp.models.len(), 4);
    assert_eq!(cmp.layers.len(), 9);
    assert_eq!(cmp.actors.len(), 5);
    let d = cmp.decision.as_ref().expect("decision");
    assert_eq!(d.rules.len(), 13);
    assert_eq!(d.hit_policy, HitPolicy::U);
    // Default priority is model order.
    assert_eq!(
        d.priority,
        ["cvm-sev-snp", "cvm-tdx", "sgx-enclave", "coco-aks"]
    );
    // Positions point at the entities.
    assert_eq!((cmp.layers[0].pos.line, cmp.layers[0].pos.col), (10, 3));
    assert_eq!(cmp.models[2].pos.line, 85);
    assert_eq!((d.rules[0].pos.line, d.rules[0].pos.col), (139, 3));
    assert_eq!(d.pos.line, 129);
    assert_eq!(cmp.models[3].stack[4].label, None);
    assert_eq!(cmp.models[3].access_override[0].actor, "guest_admin");
}

#[test]
fn yaml_and_json_fixtures_equal_the_reference() {
    let Some(src) = read_optional("../shared/examples/deployment-models.toml") else {
        return;
    };
    let toml = without_positions(load("m.toml", &src, Format::Toml).expect("toml loads"));
    for (name, format) in [
        ("deployment-models.yaml", Format::Yaml),
        ("deployment-models.json", Format::Json),
    ] {
        let text = read_fixture(name);
        assert_eq!(sniff(name, &text), Some(format), "{name}");
        let (cmp, diags) = check(name, &text, format);
        assert_clean(&diags);
        assert_eq!(without_positions(cmp.expect("loads")), toml, "{name}");
    }
}

#[test]
fn yaml_fixture_positions_point_at_entities() {
    let text = read_fixture("deployment-models.yaml");
    let cmp = load("m.yaml", &text, Format::Yaml).expect("loads");
    let first = &cmp.layers[0];
    assert_eq!(
        (first.id.as_str(), first.pos.line, first.pos.col),
        ("hardware", 8, 5)
    );
    assert_eq!((cmp.models[0].pos.line, cmp.models[0].pos.col), (41, 5));
}

/// A comparison with nothing in common with the seed: payment signing keys in an HSM.
const PAYMENTS: &str = r#"
schema = "trustdoc-comparison/1"
id = "payment-keys"
title = "Where payment signing keys live"
description = "Three ways to hold the keys that sign card transactions."

layer = [
  { id = "silicon", order = 1, name = "Tamper-resistant silicon" },
  { id = "module_fw", order = 2, name = "Module firmware" },
  { id = "server_os", order = 3, name = "Server operating system" },
  { id = "signer", order = 4, name = "Signing service" },
  { id = "partition", order = 5, name = "Tenant partition", inset_of = "signer" },
]
actor = [
  { id = "dc_staff", name = "Data-centre staff", acts_at = "server_os" },
  { id = "app_team", name = "Application team", acts_at = "signer" },
]
guidance = [
  { favors = ["hsm"], text = "Regulators ask for certified key storage" },
  { favors = ["soft-keys", "cloud-kms"], text = "Throughput matters more than certification" },
]
image = [{ path = "img/../img/keys.svg", show = "all" }]

[[model]]
id = "hsm"
name = "Dedicated hardware security module"
stack = [
  { layer = "silicon", trust = "root" },
  { layer = "module_fw", trust = "root" },
  { layer = "signer", trust = "protected", label = "Key ceremony app" },
  { layer = "partition", trust = "protected" },
]

[[model]]
id = "soft-keys"
name = "Keys in process memory"
deployment = "self-hosted"
stack = [
  { layer = "server_os", trust = "untrusted" },
  { layer = "signer", trust = "protected" },
]
access_override = [{ actor = "dc_staff", access = true, reason = "Staff can dump memory of the server" }]

[[model]]
id = "cloud-kms"
name = "Cloud key management service"
stack = [
  { layer = "silicon", trust = "root" },
  { layer = "server_os", trust = "untrusted" },
  { layer = "signer", trust = "protected" },
]

[decision]
id = "where-keys"
hit_policy = "P"
priority = ["hsm", "cloud-kms", "soft-keys"]
inputs = [
  { id = "certified", question = "Is certified storage required?", answers = ["yes", "no"] },
  { id = "volume", question = "How many signatures per second?", answers = ["low", "high"] },
]
rules = [
  { id = "needs-cert", when = { certified = "yes" }, then = "hsm" },
  { id = "fast", when = { volume = "high" }, then = "cloud-kms" },
  { id = "default", then = "soft-keys" },
]
"#;

#[test]
fn unrelated_comparison_loads_and_validates() {
    assert_eq!(sniff("keys.toml", PAYMENTS), Some(Format::Toml));
    let (cmp, diags) = check("keys.toml", PAYMENTS, Format::Toml);
    assert_clean(&diags);
    let cmp = cmp.expect("loads");
    assert_eq!(
        cmp.description.as_deref(),
        Some("Three ways to hold the keys that sign card transactions.")
    );
    assert_eq!(
        cmp.layers.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["silicon", "module_fw", "server_os", "signer", "partition"]
    );
    let matrix = access::derive(&cmp);
    assert!(matrix
        .get("dc_staff", "soft-keys")
        .is_some_and(|a| a.can_read && a.override_reason.is_some()));
    assert!(matrix.get("dc_staff", "hsm").is_some_and(|a| !a.can_read));
    let d = cmp.decision.as_ref().expect("decision");
    let ask = |c: &str, v: &str| {
        let answers = [("certified", c), ("volume", v)]
            .map(|(k, a)| (k.to_string(), a.to_string()))
            .into();
        evaluate(d, &answers)
            .iter()
            .map(|r| r.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ask("yes", "high"), ["needs-cert"]);
    assert_eq!(ask("no", "high"), ["fast"]);
    assert_eq!(ask("no", "low"), ["default"]);
}

#[test]
fn sniff_needs_extension_and_schema() {
    assert_eq!(
        sniff("a.toml", "# x\nschema = \"trustdoc-comparison/1\"\n"),
        Some(Format::Toml)
    );
    assert_eq!(
        sniff("a.TOML", "schema=\"trustdoc-comparison/1\""),
        Some(Format::Toml)
    );
    assert_eq!(
        sniff("a.yml", "schema: trustdoc-comparison/1\n"),
        Some(Format::Yaml)
    );
    assert_eq!(
        sniff("a.yaml", "id: x\nschema: 'trustdoc-comparison/1'\n"),
        Some(Format::Yaml)
    );
    assert_eq!(
        sniff(
            "a.json",
            "{\"id\":1,\"schema\" : \"trustdoc-comparison/1\"}"
        ),
        Some(Format::Json)
    );
    // A future version is still recognised, so loading can say it is unsupported.
    assert_eq!(
        sniff("a.toml", "schema = \"trustdoc-comparison/2\""),
        Some(Format::Toml)
    );
    assert_eq!(sniff("a.md", "schema = \"trustdoc-comparison/1\""), None);
    assert_eq!(sniff("Cargo.toml", "[package]\nname = \"x\"\n"), None);
    assert_eq!(sniff("toc.yml", "- name: Home\n  href: index.md\n"), None);
    assert_eq!(
        sniff("a.yaml", "nested:\n  schema: trustdoc-comparison/1\n"),
        None
    );
    assert_eq!(sniff("a.json", "{\"schema\": \"other\"}"), None);
    assert_eq!(sniff("noext", "schema = \"trustdoc-comparison/1\""), None);
}

#[test]
fn unsupported_version_is_reported_by_check() {
    let src = PAYMENTS.replace("trustdoc-comparison/1", "trustdoc-comparison/9");
    let (cmp, diags) = check("keys.toml", &src, Format::Toml);
    assert!(cmp.is_some());
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        diags[0].to_string(),
        "keys.toml:2:10: error: schema: unsupported schema \"trustdoc-comparison/9\"; this version of trustdoc reads trustdoc-comparison/1"
    );
}

#[test]
fn removing_a_reference_rule_leaves_a_reported_gap() {
    let Some(src) = read_optional("../shared/examples/deployment-models.toml") else {
        return;
    };
    let r9 = src
        .lines()
        .find(|l| l.contains("id = \"R9\""))
        .expect("R9 in the reference");
    let line = src
        .lines()
        .position(|l| l.contains("[decision]"))
        .expect("decision")
        + 1;
    let (_, diags) = check(
        "models.toml",
        &src.replace(&format!("{r9}\n"), ""),
        Format::Toml,
    );
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [format!(
            "models.toml:{line}:1: error: no rule matches code=refactor, guest_admin=yes, shape=full_vm, cpu=amd \
             (decision choose-model, hit policy U); the gap covers 2 combinations: \
             code=refactor, guest_admin=yes, shape=any, cpu=amd"
        )]
    );
    // Widening R8 to every CPU makes it overlap R9 instead.
    let wide = src.replace(
        ", cpu = [\"intel\", \"any\"] }, then = \"sgx-enclave\"",
        " }, then = \"sgx-enclave\"",
    );
    let r9_line = src
        .lines()
        .position(|l| l.contains("id = \"R9\""))
        .expect("R9")
        + 1;
    let (_, diags) = check("models.toml", &wide, Format::Toml);
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [format!(
            "models.toml:{r9_line}:3: error: rules R8 and R9 both match code=refactor, guest_admin=yes, shape=full_vm, cpu=amd \
             under hit policy U"
        )]
    );
}
