//! Bad data files: comparison data in TOML, YAML and JSON (syntax, unknown keys and ids,
//! broken stacks, decision gaps and overlaps), Learn's YAML pages, zone pivot groups and
//! the redirection file. Each case asserts exit 1, the `file:line[:col]` of the message and
//! that the previous `public/` stays byte-identical.

mod common;
use common::fails_at;

/// The example comparison shipped with `trustdoc init`, with its id made unique per test.
fn models(id: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/init/models.toml");
    std::fs::read_to_string(p)
        .expect("example data")
        .replace("id = \"example\"", &format!("id = \"{id}\""))
}

/// `models` with `from` replaced by `to` (which must occur).
fn models_with(id: &str, from: &str, to: &str) -> String {
    let m = models(id);
    assert!(m.contains(from), "fixture drifted: `{from}` not found");
    m.replacen(from, to, 1)
}

#[test]
fn comparison_json_syntax_error_line_and_column() {
    fails_at(
        &[(
            "content/m.json",
            "{\n  \"schema\": \"trustdoc-comparison/1\",\n  \"id\": \"x\",\n  \"title\": \"X\"\n  \"layer\": []\n}\n",
        )],
        "content/m.json:5:3: error: JSON syntax error: expected `,` or `}`",
    );
}

#[test]
fn comparison_yaml_syntax_error_line_and_column() {
    fails_at(
        &[(
            "content/m.yaml",
            "schema: trustdoc-comparison/1\nid: y\ntitle: \"Y\nlayer: []\n",
        )],
        "content/m.yaml:3:8: error: YAML error: unclosed quote",
    );
}

#[test]
fn comparison_toml_syntax_error_line_and_column() {
    fails_at(
        &[(
            "content/m.toml",
            "schema = \"trustdoc-comparison/1\"\nid = \"z\"\ntitle = \"Z\nlayer = []\n",
        )],
        "content/m.toml:3:11: error: TOML syntax error:",
    );
}

#[test]
fn comparison_yaml_alias_bomb_fails_fast() {
    let mut bomb = String::from(
        "schema: trustdoc-comparison/1\nid: bomb\na: &a [x, x, x, x, x, x, x, x, x]\n",
    );
    for (name, prev) in [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("f", "e")] {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    bomb.push_str("title: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n");
    let started = std::time::Instant::now();
    fails_at(&[("content/bomb.yaml", &bomb)], "content/bomb.yaml:");
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn comparison_wrong_type_is_located() {
    fails_at(
        &[("content/m.toml", &models_with("w", "order = 20", "order = \"twenty\""))],
        "content/m.toml:8:32: error: layer[1].order: expected an integer, found the string \"twenty\"",
    );
}

#[test]
fn comparison_unknown_key_suggests_the_known_one() {
    fails_at(
        &[(
            "content/m.toml",
            &models_with(
                "k",
                "memory = \"Not encrypted\"",
                "memroy = \"Not encrypted\"",
            ),
        )],
        "content/m.toml:26:1: error: model[0].memroy: unknown key; did you mean \"memory\"?",
    );
}

#[test]
fn comparison_unknown_id_reference_suggests() {
    fails_at(
        &[("content/m.toml", &models_with("r", "then = \"plain-vm\"", "then = \"plain-vn\""))],
        "content/m.toml:58:3: error: decision.rules[1].then: unknown model \"plain-vn\"; did you mean \"plain-vm\"?",
    );
}

#[test]
fn comparison_duplicate_ids() {
    fails_at(
        &[("content/m.toml", &models_with("d", "id = \"confidential-vm\"", "id = \"plain-vm\""))],
        "content/m.toml:34:1: error: model[1].id: duplicate model id \"plain-vm\" (first defined at line 18)",
    );
}

#[test]
fn comparison_stack_out_of_layer_order() {
    fails_at(
        &[(
            "content/m.toml",
            &models_with(
                "s",
                "  { layer = \"hardware\", trust = \"root\" },\n  { layer = \"hypervisor\", trust = \"untrusted\" },",
                "  { layer = \"hypervisor\", trust = \"untrusted\" },\n  { layer = \"hardware\", trust = \"root\" },",
            ),
        )],
        "content/m.toml:45:3: error: model[1].stack[1].layer: layer \"hardware\" (order 10) is listed after \"hypervisor\" (order 20)",
    );
}

#[test]
fn decision_gap_fails_with_a_witness() {
    let (_, r) = fails_at(
        &[(
            "content/m.toml",
            &models_with(
                "g",
                "  { id = \"R2\", when = { operator = \"no\" }, then = \"plain-vm\" },\n",
                "",
            ),
        )],
        "content/m.toml:50:1: error: no rule matches operator=no (decision pick, hit policy U)",
    );
    assert!(!r.stderr.contains("R2"), "{}", r.stderr);
}

#[test]
fn decision_overlap_names_both_rules() {
    fails_at(
        &[(
            "content/m.toml",
            &models_with(
                "o",
                "when = { operator = \"no\" }",
                "when = { operator = \"yes\" }",
            ),
        )],
        "content/m.toml:58:3: error: rules R1 and R2 both match operator=yes under hit policy U",
    );
}

#[test]
fn access_override_without_reason() {
    fails_at(
        &[(
            "content/m.toml",
            &models_with(
                "a",
                "[decision]",
                "access_override = [ { actor = \"operator\", access = true } ]\n[decision]",
            ),
        )],
        "content/m.toml:50:21: error: model[1].access_override[0]: missing required key \"reason\"",
    );
}

#[cfg(unix)]
#[test]
fn comparison_source_through_a_link_outside_is_refused() {
    let s = common::TestSite::nested();
    s.file("trustdoc.toml", "title = \"T\"\n")
        .file("content/index.md", "# Home\n");
    let secret = s.outside("outside/m.toml", &models("secret"));
    let r = s.fails_keeping_output(1, |s| {
        s.symlink(&secret, "content/m.toml").file(
            "content/p.md",
            "# P\n\n:::access-matrix source=\"m.toml\":::\n",
        );
    });
    assert!(
        r.stderr
            .contains("content/m.toml: error: links to a file outside the site root; refused"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/p.md:3:1: error: `access-matrix` is not a comparison file"),
        "{}",
        r.stderr
    );
}

#[test]
fn toc_entry_of_the_wrong_type() {
    fails_at(
        &[(
            "content/toc.yml",
            "- name: Home\n  href: index.md\n- name: [1]\n  href: index.md\n",
        )],
        "content/toc.yml:3:9: error:",
    );
}

#[test]
fn toc_entry_with_a_script_url_is_refused() {
    let (s, _) = fails_at(
        &[(
            "content/toc.yml",
            "- name: Home\n  href: index.md\n- name: Click\n  href: javascript:alert(1)\n",
        )],
        "content/toc.yml:3:3: error: TOC entry `Click` points at `javascript:alert(1)`",
    );
    assert!(!s.out("index.html").contains("javascript:"));
}

#[test]
fn learn_faq_with_invalid_yaml() {
    fails_at(
        &[(
            "content/faq.yml",
            "### YamlMime:FAQ\ntitle: \"never closed\nsummary: x\n",
        )],
        "content/faq.yml:2:8: error: unclosed quote",
    );
}

#[test]
fn learn_landing_with_a_wrong_type() {
    fails_at(
        &[(
            "content/hub/index.yml",
            "### YamlMime:Landing\ntitle: Hub\nlandingContent:\n  - title: Start\n    linkLists: nope\n",
        )],
        "content/hub/index.yml:5:16: error:",
    );
}

#[test]
fn zone_pivot_groups_with_invalid_yaml() {
    fails_at(
        &[(
            "content/zone-pivot-groups.yml",
            "groups:\n- id: lang\n  title: Language\n  pivots:\n  - id: py\n    title: [Python\n",
        )],
        "content/zone-pivot-groups.yml:6:12: error:",
    );
}

const REDIRECTS: &str = "content/.openpublishing.redirection.json";

fn redirects(entries: &[(&str, &str)]) -> String {
    let items: Vec<String> = entries
        .iter()
        .map(|(s, t)| format!("    {{\"source_path\": \"{s}\", \"redirect_url\": \"{t}\"}}"))
        .collect();
    format!(
        "{{\n  \"redirections\": [\n{}\n  ]\n}}\n",
        items.join(",\n")
    )
}

#[test]
fn redirection_file_with_invalid_json() {
    fails_at(
        &[(
            REDIRECTS,
            "{\n  \"redirections\": [\n    {\"source_path\": \"a.md\",}\n  ]\n}\n",
        )],
        "content/.openpublishing.redirection.json:3:",
    );
}

#[test]
fn redirect_loop_is_an_error() {
    fails_at(
        &[(REDIRECTS, &redirects(&[("old/a.md", "/b"), ("old/b.md", "/c/"), ("old/c.md", "/a")]))],
        "content/.openpublishing.redirection.json:3: error: redirect loop: old/a.md -> old/b.md -> old/c.md -> old/a.md",
    );
    fails_at(
        &[(REDIRECTS, &redirects(&[("self.md", "/self")]))],
        "content/.openpublishing.redirection.json:3: error: redirect loop: self.md -> self.md",
    );
}

#[test]
fn redirect_to_a_script_url_is_refused() {
    fails_at(
        &[(REDIRECTS, &redirects(&[("old.md", "javascript:alert(1)")]))],
        "content/.openpublishing.redirection.json:3: error: redirect_url \"javascript:alert(1)\" uses `javascript:`",
    );
}

#[test]
fn messages_never_carry_terminal_escapes() {
    let (_, r) = fails_at(
        &[(
            "content/toc.yml",
            "- name: Home\n  href: index.md\n- name: \"\\e[2J\\e]0;owned\\a\"\n  href: missing.md\n",
        )],
        "content/toc.yml:3:3: error: TOC entry `\\u{1b}[2J\\u{1b}]0;owned\\u{7}`",
    );
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
}
