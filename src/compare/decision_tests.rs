//! Decision analysis on small hand-made tables (gaps, overlaps, shadowing, per hit
//! policy), `evaluate`, and the enumeration/symbolic equivalence.

use std::collections::BTreeMap;

use super::super::coverage::{self, Table};
use super::super::model::*;
use super::*;

type RuleSpec<'a> = (&'a str, &'a [(&'a str, &'a [&'a str])], &'a str);

/// A comparison holding only a decision: the decision sits at line 100, rule `i` at line 10 + i.
fn table(policy: HitPolicy, inputs: &[(&str, &[&str])], rules: &[RuleSpec]) -> Comparison {
    let decision = Decision {
        id: "d".into(),
        hit_policy: policy,
        inputs: inputs
            .iter()
            .map(|(id, answers)| Input {
                id: id.to_string(),
                question: format!("{id}?"),
                answers: answers.iter().map(|a| a.to_string()).collect(),
                pos: Pos::default(),
            })
            .collect(),
        rules: rules
            .iter()
            .enumerate()
            .map(|(i, (id, when, then))| Rule {
                id: id.to_string(),
                when: when
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.iter().map(|a| a.to_string()).collect()))
                    .collect(),
                then: then.to_string(),
                note: None,
                pos: Pos {
                    line: 10 + i,
                    col: 3,
                },
            })
            .collect(),
        priority: vec!["x".into(), "y".into(), "z".into()],
        pos: Pos { line: 100, col: 1 },
    };
    Comparison {
        path: "t.toml".into(),
        schema: "trustdoc-comparison/1".into(),
        schema_pos: Pos::default(),
        id: "t".into(),
        title: "T".into(),
        description: None,
        layers: Vec::new(),
        actors: Vec::new(),
        models: Vec::new(),
        guidance: Vec::new(),
        images: Vec::new(),
        decision: Some(decision),
    }
}

fn messages(cmp: &Comparison) -> Vec<String> {
    analyze(cmp).iter().map(ToString::to_string).collect()
}

const INPUTS: &[(&str, &[&str])] = &[
    ("code", &["none", "refactor"]),
    ("admin", &["yes", "no"]),
    ("cpu", &["amd", "intel"]),
];

/// Covers everything except code=refactor, admin=yes, cpu=amd.
const ONE_GAP: &[RuleSpec] = &[
    ("R1", &[("code", &["none"])], "x"),
    ("R2", &[("code", &["refactor"]), ("admin", &["no"])], "y"),
    (
        "R3",
        &[
            ("code", &["refactor"]),
            ("admin", &["yes"]),
            ("cpu", &["intel"]),
        ],
        "z",
    ),
];

#[test]
fn a_gap_is_reported_with_its_witness() {
    assert_eq!(
        messages(&table(HitPolicy::U, INPUTS, ONE_GAP)),
        ["t.toml:100:1: error: no rule matches code=refactor, admin=yes, cpu=amd (decision d, hit policy U)"]
    );
}

#[test]
fn gaps_are_errors_under_every_policy() {
    for policy in [
        HitPolicy::U,
        HitPolicy::A,
        HitPolicy::P,
        HitPolicy::F,
        HitPolicy::C,
        HitPolicy::R,
        HitPolicy::O,
    ] {
        let diags = analyze(&table(policy, INPUTS, ONE_GAP));
        assert_eq!(diags.len(), 1, "{policy:?}");
        assert!(diags[0].is_error());
        assert_eq!(diags[0].kind, "decision-gap");
        assert!(diags[0]
            .message
            .ends_with(&format!("(decision d, hit policy {policy:?})")));
    }
}

#[test]
fn a_gap_region_is_reported_once() {
    // Nothing covers code=refactor at all: one region of 4 combinations, one witness.
    let rules: &[RuleSpec] = &[("R1", &[("code", &["none"])], "x")];
    assert_eq!(
        messages(&table(HitPolicy::U, INPUTS, rules)),
        ["t.toml:100:1: error: no rule matches code=refactor, admin=yes, cpu=amd (decision d, hit policy U); \
          the gap covers 4 combinations: code=refactor, admin=any, cpu=any"]
    );
    // Two separate holes are two reports, in answer order.
    let rules: &[RuleSpec] = &[
        ("R1", &[("code", &["none"]), ("cpu", &["amd"])], "x"),
        ("R2", &[("code", &["refactor"]), ("admin", &["no"])], "y"),
    ];
    assert_eq!(
        messages(&table(HitPolicy::F, INPUTS, rules)),
        [
            "t.toml:100:1: error: no rule matches code=none, admin=yes, cpu=intel (decision d, hit policy F); \
             the gap covers 2 combinations: code=none, admin=any, cpu=intel",
            "t.toml:100:1: error: no rule matches code=refactor, admin=yes, cpu=amd (decision d, hit policy F); \
             the gap covers 2 combinations: code=refactor, admin=yes, cpu=any",
        ]
    );
}

#[test]
fn gap_reports_are_capped() {
    // Two inputs of 25 answers with a hole at each p=q: 25 separate regions.
    let many: Vec<String> = (0..25).map(|i| format!("a{i:02}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let inputs: &[(&str, &[&str])] = &[("p", &many), ("q", &many)];
    // Rule i covers p=a_i with every q except q=a_i: each p answer leaves its own hole.
    let whens: Vec<(Vec<&str>, Vec<&str>)> = (0..25)
        .map(|i| {
            (
                vec![many[i]],
                many.iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, a)| *a)
                    .collect(),
            )
        })
        .collect();
    let specs: Vec<[(&str, &[&str]); 2]> = whens
        .iter()
        .map(|(p, q)| [("p", p.as_slice()), ("q", q.as_slice())])
        .collect();
    let rules: Vec<RuleSpec> = specs.iter().map(|w| ("R", &w[..], "x")).collect();
    let diags = analyze(&table(HitPolicy::C, inputs, &rules));
    assert_eq!(diags.len(), 21);
    assert_eq!(
        diags[0].message,
        "no rule matches p=a00, q=a00 (decision d, hit policy C)"
    );
    assert_eq!(
        diags[19].message,
        "no rule matches p=a19, q=a19 (decision d, hit policy C)"
    );
    assert_eq!(
        diags[20].message,
        "and 5 more gap regions (decision d, hit policy C)"
    );
}

const OVERLAPPING: &[RuleSpec] = &[
    ("R1", &[("code", &["none"])], "x"),
    ("R2", &[("code", &["refactor"])], "y"),
    ("R3", &[("admin", &["no"]), ("cpu", &["intel"])], "x"),
];

#[test]
fn overlaps_are_errors_under_u() {
    assert_eq!(
        messages(&table(HitPolicy::U, INPUTS, OVERLAPPING)),
        [
            "t.toml:12:3: error: rules R1 and R3 both match code=none, admin=no, cpu=intel under hit policy U",
            "t.toml:12:3: error: rules R2 and R3 both match code=refactor, admin=no, cpu=intel under hit policy U",
        ]
    );
}

#[test]
fn overlaps_under_a_are_errors_only_when_outputs_differ() {
    assert_eq!(
        messages(&table(HitPolicy::A, INPUTS, OVERLAPPING)),
        ["t.toml:12:3: error: rules R2 and R3 both match code=refactor, admin=no, cpu=intel under hit policy A \
          but recommend different models (\"y\" and \"x\")"]
    );
}

#[test]
fn overlaps_are_allowed_under_p_c_r_o() {
    for policy in [HitPolicy::P, HitPolicy::C, HitPolicy::R, HitPolicy::O] {
        assert_eq!(
            messages(&table(policy, INPUTS, OVERLAPPING)),
            Vec::<String>::new(),
            "{policy:?}"
        );
    }
}

#[test]
fn shadowed_rules_warn_under_f() {
    let rules: &[RuleSpec] = &[
        ("R1", &[("code", &["none"])], "x"),
        ("R2", &[("code", &["refactor"]), ("admin", &["yes"])], "y"),
        // Partly shadowed: code=refactor, admin=no still reaches it.
        ("R3", &[("cpu", &["intel"])], "z"),
        // Fully shadowed by R1 and R2 together.
        ("R4", &[("admin", &["yes"])], "z"),
        ("R5", &[], "x"),
        // Shadowed by the catch-all alone.
        ("R6", &[("cpu", &["amd"])], "y"),
    ];
    assert_eq!(
        messages(&table(HitPolicy::F, INPUTS, rules)),
        [
            "t.toml:13:3: warning: rule R4 can never fire under hit policy F: earlier rules R1, R2, R3 match every combination it matches",
            "t.toml:15:3: warning: rule R6 can never fire under hit policy F: earlier rules R1, R2, R4, R5 match every combination it matches",
        ]
    );
    // The same table under U is full of overlap errors and has no shadowing warnings.
    let u = analyze(&table(HitPolicy::U, INPUTS, rules));
    assert!(
        !u.is_empty()
            && u.iter()
                .all(|d| d.is_error() && d.kind == "decision-overlap")
    );
}

#[test]
fn unresolved_tables_are_left_to_validation() {
    let rules: &[RuleSpec] = &[("R1", &[("colour", &["red"])], "x")];
    assert!(analyze(&table(HitPolicy::U, INPUTS, rules)).is_empty());
    let rules: &[RuleSpec] = &[("R1", &[("code", &["maybe"])], "x")];
    assert!(analyze(&table(HitPolicy::U, INPUTS, rules)).is_empty());
}

fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn chosen(cmp: &Comparison, pairs: &[(&str, &str)]) -> Vec<String> {
    let d = cmp.decision.as_ref().expect("decision");
    evaluate(d, &answers(pairs))
        .iter()
        .map(|r| r.id.clone())
        .collect()
}

#[test]
fn evaluate_follows_the_hit_policy() {
    // R3 (output x) and R2 (output y) both match refactor/no/intel; priority is x, y, z.
    let combo = [("code", "refactor"), ("admin", "no"), ("cpu", "intel")];
    for (policy, expect) in [
        (HitPolicy::U, vec!["R2"]),
        (HitPolicy::A, vec!["R2"]),
        (HitPolicy::F, vec!["R2"]),
        (HitPolicy::P, vec!["R3"]),
        (HitPolicy::C, vec!["R2", "R3"]),
        (HitPolicy::R, vec!["R2", "R3"]),
        (HitPolicy::O, vec!["R3", "R2"]),
    ] {
        assert_eq!(
            chosen(&table(policy, INPUTS, OVERLAPPING), &combo),
            expect,
            "{policy:?}"
        );
    }
    let u = table(HitPolicy::U, INPUTS, OVERLAPPING);
    assert_eq!(
        chosen(&u, &[("code", "none"), ("admin", "yes"), ("cpu", "amd")]),
        ["R1"]
    );
    // A missing answer matches only rules that do not ask about that input.
    assert_eq!(chosen(&u, &[("admin", "no"), ("cpu", "intel")]), ["R3"]);
    assert!(chosen(&u, &[]).is_empty());
    // P breaks ties between equal outputs by rule order.
    let p = table(
        HitPolicy::P,
        INPUTS,
        &[("A", &[], "y"), ("B", &[], "y"), ("C", &[], "z")],
    );
    assert_eq!(chosen(&p, &[("code", "none")]), ["A"]);
}

/// A small deterministic generator, so the equivalence test covers many shapes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % bound.max(1) as u64) as usize
    }
}

fn random_table(rng: &mut Lcg, policy: HitPolicy) -> Comparison {
    let names: Vec<String> = (0..5).map(|i| format!("i{i}")).collect();
    let answers: Vec<String> = (0..5).map(|i| format!("a{i}")).collect();
    let n_inputs = 1 + rng.next(4);
    let inputs: Vec<(&str, Vec<&str>)> = (0..n_inputs)
        .map(|i| {
            (
                names[i].as_str(),
                answers[..1 + rng.next(4)]
                    .iter()
                    .map(String::as_str)
                    .collect(),
            )
        })
        .collect();
    let mut whens: Vec<Vec<(&str, Vec<&str>)>> = Vec::new();
    for _ in 0..rng.next(7) {
        let mut when = Vec::new();
        for (id, ans) in &inputs {
            if rng.next(3) == 0 {
                continue; // any answer
            }
            let picked: Vec<&str> = ans.iter().copied().filter(|_| rng.next(2) == 0).collect();
            if !picked.is_empty() {
                when.push((*id, picked));
            }
        }
        whens.push(when);
    }
    let input_refs: Vec<(&str, &[&str])> =
        inputs.iter().map(|(id, a)| (*id, a.as_slice())).collect();
    let when_refs: Vec<Vec<(&str, &[&str])>> = whens
        .iter()
        .map(|w| w.iter().map(|(k, v)| (*k, v.as_slice())).collect())
        .collect();
    let outputs = ["x", "y", "z"];
    let rules: Vec<RuleSpec> = when_refs
        .iter()
        .map(|w| ("R", w.as_slice(), outputs[rng.next(3)]))
        .collect();
    table(policy, &input_refs, &rules)
}

#[test]
fn enumeration_and_symbolic_methods_agree() {
    let mut rng = Lcg(7);
    let mut with_gaps = 0;
    let mut with_overlaps = 0;
    let mut with_shadowed = 0;
    for round in 0..400 {
        let cmp = random_table(&mut rng, HitPolicy::F);
        let d = cmp.decision.as_ref().expect("decision");
        let t = Table::new(d).expect("well formed");
        let enumerated = coverage::enumerate(&t, true);
        let symbolic = coverage::symbolic(&t, true);
        assert_eq!(enumerated, symbolic, "round {round}: {d:#?}");
        assert!(!symbolic.incomplete);
        with_gaps += usize::from(!enumerated.gaps.is_empty());
        with_overlaps += usize::from(!enumerated.overlaps.is_empty());
        with_shadowed += usize::from(!enumerated.never_first.is_empty());
    }
    // The generator must exercise every kind of finding.
    assert!(
        with_gaps > 50 && with_overlaps > 50 && with_shadowed > 20,
        "{with_gaps} {with_overlaps} {with_shadowed}"
    );
    // And the hand-made tables too.
    for rules in [ONE_GAP, OVERLAPPING] {
        let cmp = table(HitPolicy::F, INPUTS, rules);
        let t = Table::new(cmp.decision.as_ref().expect("decision")).expect("well formed");
        assert_eq!(coverage::enumerate(&t, true), coverage::symbolic(&t, true));
    }
}

#[test]
fn large_tables_are_analysed_symbolically() {
    // 8 inputs of 6 answers: 1.7 million combinations, too many to enumerate.
    let answers: &[&str] = &["a", "b", "c", "d", "e", "f"];
    let names = ["p", "q", "r", "s", "t", "u", "v", "w"];
    let inputs: Vec<(&str, &[&str])> = names.iter().map(|n| (*n, answers)).collect();
    let cmp = table(HitPolicy::U, &inputs, &[]);
    let t = Table::new(cmp.decision.as_ref().expect("decision")).expect("well formed");
    assert!(t.combinations() > coverage::ENUMERATION_LIMIT);
    // One rule per answer of p, except p=c; plus one overlapping pair.
    let rules: &[RuleSpec] = &[
        ("A", &[("p", &["a", "b"])], "x"),
        (
            "B",
            &[("p", &["d", "e", "f"]), ("w", &["a", "b", "c", "d", "e"])],
            "x",
        ),
        ("C", &[("p", &["d", "e", "f"]), ("w", &["f"])], "y"),
        ("D", &[("p", &["b"]), ("v", &["e"])], "y"),
    ];
    assert_eq!(
        messages(&table(HitPolicy::U, &inputs, rules)),
        [
            "t.toml:100:1: error: no rule matches p=c, q=a, r=a, s=a, t=a, u=a, v=a, w=a (decision d, hit policy U); \
             the gap covers 279936 combinations: p=c, q=any, r=any, s=any, t=any, u=any, v=any, w=any",
            "t.toml:13:3: error: rules A and D both match p=b, q=a, r=a, s=a, t=a, u=a, v=e, w=a under hit policy U",
        ]
    );
}

#[test]
fn too_many_inputs_is_a_warning_not_a_crash() {
    let names: Vec<String> = (0..=coverage::MAX_INPUTS)
        .map(|i| format!("i{i}"))
        .collect();
    let inputs: Vec<(&str, &[&str])> = names
        .iter()
        .map(|n| (n.as_str(), &["a", "b"][..]))
        .collect();
    let diags = analyze(&table(HitPolicy::U, &inputs, &[]));
    assert_eq!(diags.len(), 1);
    assert!(!diags[0].is_error());
    assert_eq!(
        diags[0].message,
        "decision d has 65 inputs; gaps and overlaps are checked for at most 64"
    );
}

#[test]
fn hostile_tables_finish_with_a_warning() {
    // 22 two-answer inputs and 600 rules that each fix up to three inputs: 4 million
    // combinations, and most of the 179,700 rule pairs overlap: past the analysis limits.
    let names: Vec<String> = (0..22).map(|i| format!("i{i}")).collect();
    let inputs: Vec<(&str, &[&str])> = names
        .iter()
        .map(|n| (n.as_str(), &["a", "b"][..]))
        .collect();
    let mut rng = Lcg(3);
    let whens: Vec<Vec<(&str, &[&str])>> = (0..600)
        .map(|_| {
            (0..3)
                .map(|_| {
                    (
                        names[rng.next(22)].as_str(),
                        if rng.next(2) == 0 {
                            &["a"][..]
                        } else {
                            &["b"][..]
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect()
        })
        .collect();
    let rules: Vec<RuleSpec> = whens.iter().map(|w| ("R", w.as_slice(), "x")).collect();
    let start = std::time::Instant::now();
    let diags = analyze(&table(HitPolicy::F, &inputs, &rules));
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    let last = diags.last().expect("a warning");
    assert_eq!(last.kind, "decision-analysis");
    assert!(!last.is_error());
}
