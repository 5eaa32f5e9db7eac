//! Property tests for decision analysis. Tables are built as decision trees: every split
//! partitions one input's answers, every leaf is a rule, so the table is complete and its
//! rules are disjoint by construction. Then: no gap and no overlap is reported; removing
//! one rule reports a gap whose witness that rule matched; under hit policy U, an added
//! rule that overlaps an existing one is reported with both rule ids. With `fits` on the
//! models (and an extra rule, so the hit policy matters), enumeration and the symbolic
//! search report the same misfits, and those are exactly what evaluating every
//! combination finds, each with the smallest witness.

use std::collections::BTreeMap;

use proptest::prelude::*;
use trustdoc::compare::fits::{misfits, Method};
use trustdoc::compare::model::{Comparison, Decision, Fit, HitPolicy, Input, Model, Pos, Rule};
use trustdoc::compare::{analyze, evaluate};
use trustdoc::error::Diagnostic;

/// Answer counts per input (1 to 4 inputs, 2 or 3 answers each) and the bytes that drive
/// the tree's shape.
fn table_seed() -> impl Strategy<Value = (Vec<usize>, Vec<u8>)> {
    (
        prop::collection::vec(2usize..=3, 1..=4),
        prop::collection::vec(any::<u8>(), 96),
    )
}

struct Choices<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Choices<'_> {
    fn next(&mut self, n: usize) -> usize {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b as usize % n.max(1)
    }
}

fn input_id(i: usize) -> String {
    format!("in{i}")
}

fn answer(a: usize) -> String {
    format!("a{a}")
}

/// Rules as (input index -> allowed answer indexes); an input left out accepts any answer.
fn grow(
    radix: &[usize],
    when: &BTreeMap<usize, Vec<usize>>,
    ch: &mut Choices,
    root: bool,
    out: &mut Vec<BTreeMap<usize, Vec<usize>>>,
) {
    let unused: Vec<usize> = (0..radix.len()).filter(|i| !when.contains_key(i)).collect();
    // The root always splits, so there are at least two rules.
    if unused.is_empty() || (!root && ch.next(3) == 0) {
        out.push(when.clone());
        return;
    }
    let input = unused[ch.next(unused.len())];
    let n = radix[input];
    // The root gives each answer its own branch; deeper splits group answers at random.
    let groups: Vec<usize> = (0..n).map(|a| if root { a } else { ch.next(2) }).collect();
    let mut labels: Vec<usize> = groups.clone();
    labels.sort_unstable();
    labels.dedup();
    for g in labels {
        let mut w = when.clone();
        w.insert(input, (0..n).filter(|&a| groups[a] == g).collect());
        grow(radix, &w, ch, false, out);
    }
}

fn decision(radix: &[usize], rules: &[BTreeMap<usize, Vec<usize>>], policy: HitPolicy) -> Decision {
    Decision {
        id: "d".into(),
        hit_policy: policy,
        inputs: radix
            .iter()
            .enumerate()
            .map(|(i, &n)| Input {
                id: input_id(i),
                question: format!("Question {i}?"),
                answers: (0..n).map(answer).collect(),
                pos: Pos::default(),
            })
            .collect(),
        rules: rules
            .iter()
            .enumerate()
            .map(|(r, when)| rule(&format!("R{r}"), when, r))
            .collect(),
        priority: Vec::new(),
        pos: Pos { line: 1, col: 1 },
    }
}

fn rule(id: &str, when: &BTreeMap<usize, Vec<usize>>, n: usize) -> Rule {
    Rule {
        id: id.into(),
        when: when
            .iter()
            .map(|(&i, answers)| (input_id(i), answers.iter().map(|&a| answer(a)).collect()))
            .collect(),
        then: format!("m{}", n % 2),
        note: None,
        pos: Pos {
            line: n + 2,
            col: 1,
        },
    }
}

fn comparison(d: Decision) -> Comparison {
    Comparison {
        path: "models.toml".into(),
        schema: "trustdoc-comparison/1".into(),
        schema_pos: Pos::default(),
        id: "c".into(),
        title: "C".into(),
        description: None,
        layers: Vec::new(),
        actors: Vec::new(),
        models: Vec::new(),
        guidance: Vec::new(),
        images: Vec::new(),
        decision: Some(d),
    }
}

/// Every combination of answers, as input id -> answer.
fn combinations(radix: &[usize]) -> Vec<BTreeMap<String, String>> {
    let mut all = vec![BTreeMap::new()];
    for (i, &n) in radix.iter().enumerate() {
        all = all
            .into_iter()
            .flat_map(|m| {
                (0..n).map(move |a| {
                    let mut m = m.clone();
                    m.insert(input_id(i), answer(a));
                    m
                })
            })
            .collect();
    }
    all
}

/// `in0=a1, in1=a0` from "no rule matches in0=a1, in1=a0 (decision …)".
fn gap_witness(d: &Diagnostic) -> Option<BTreeMap<String, String>> {
    let rest = d.message.strip_prefix("no rule matches ")?;
    let combo = &rest[..rest.find(" (decision")?];
    combo
        .split(", ")
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

fn matches(r: &Rule, answers: &BTreeMap<String, String>) -> bool {
    r.when
        .iter()
        .all(|(i, allowed)| answers.get(i).is_some_and(|a| allowed.contains(a)))
}

fn policy() -> impl Strategy<Value = HitPolicy> {
    prop_oneof![
        Just(HitPolicy::U),
        Just(HitPolicy::A),
        Just(HitPolicy::P),
        Just(HitPolicy::F),
        Just(HitPolicy::C),
        Just(HitPolicy::R),
        Just(HitPolicy::O),
    ]
}

fn build((radix, bytes): &(Vec<usize>, Vec<u8>)) -> Vec<BTreeMap<usize, Vec<usize>>> {
    let mut rules = Vec::new();
    let mut ch = Choices { bytes, at: 0 };
    grow(radix, &BTreeMap::new(), &mut ch, true, &mut rules);
    rules
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn complete_disjoint_table_reports_nothing(seed in table_seed(), policy in policy()) {
        let rules = build(&seed);
        let d = decision(&seed.0, &rules, policy);
        // The generator's promise, checked with the evaluator: one rule per combination.
        for combo in combinations(&seed.0) {
            let hits = d.rules.iter().filter(|r| matches(r, &combo)).count();
            prop_assert_eq!(hits, 1, "generator built a bad table for {:?}", combo);
        }
        let diags = analyze(&comparison(d));
        prop_assert!(diags.is_empty(), "unexpected findings: {:?}", diags);
    }

    #[test]
    fn removed_rule_leaves_a_gap_it_covered(
        seed in table_seed(),
        policy in policy(),
        pick in any::<usize>(),
    ) {
        let rules = build(&seed);
        let full = decision(&seed.0, &rules, policy);
        let removed_at = pick % full.rules.len();
        let mut cut = full.clone();
        let removed = cut.rules.remove(removed_at);
        let diags = analyze(&comparison(cut.clone()));
        let gaps: Vec<_> = diags
            .iter()
            .filter(|d| d.kind == "decision-gap" && d.is_error())
            .collect();
        prop_assert!(!gaps.is_empty(), "removing {} reported no gap: {:?}", removed.id, diags);
        for g in gaps {
            let Some(witness) = gap_witness(g) else {
                prop_assert!(g.message.starts_with("and "), "unreadable gap: {}", g.message);
                continue;
            };
            prop_assert_eq!(witness.len(), seed.0.len());
            prop_assert!(matches(&removed, &witness), "{} does not match gap {:?}", removed.id, witness);
            prop_assert!(evaluate(&cut, &witness).is_empty(), "a remaining rule matches {:?}", witness);
            // In the full table exactly the removed rule decides there.
            let deciding: Vec<&str> = evaluate(&full, &witness).iter().map(|r| r.id.as_str()).collect();
            prop_assert_eq!(deciding, vec![removed.id.as_str()]);
        }
        // Nothing but the gap is wrong with the cut table.
        prop_assert!(diags.iter().all(|d| d.kind == "decision-gap"), "{:?}", diags);
    }

    #[test]
    fn overlap_under_u_names_both_rules(
        seed in table_seed(),
        pick in any::<usize>(),
        at in any::<usize>(),
    ) {
        let rules = build(&seed);
        let mut d = decision(&seed.0, &rules, HitPolicy::U);
        let base = d.rules[pick % d.rules.len()].clone();
        // A narrower copy: the first allowed answer of each input the base rule constrains.
        let mut extra = base.clone();
        extra.id = "X".into();
        for allowed in extra.when.values_mut() {
            allowed.truncate(1);
        }
        let insert_at = at % (d.rules.len() + 1);
        d.rules.insert(insert_at, extra.clone());
        let diags = analyze(&comparison(d));
        let overlaps: Vec<_> = diags.iter().filter(|x| x.kind == "decision-overlap").collect();
        prop_assert_eq!(overlaps.len(), 1, "{:?}", diags);
        let (first, second) = if insert_at <= pick % rules.len() {
            ("X", base.id.as_str())
        } else {
            (base.id.as_str(), "X")
        };
        let expected = format!("rules {first} and {second} both match ");
        prop_assert!(overlaps[0].message.starts_with(&expected), "{}", overlaps[0].message);
        prop_assert!(overlaps[0].is_error());
        let rest = &overlaps[0].message[expected.len()..];
        let combo = &rest[..rest.find(" under hit policy").unwrap_or(rest.len())];
        let witness: BTreeMap<String, String> = combo
            .split(", ")
            .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
            .collect();
        prop_assert!(matches(&base, &witness) && matches(&extra, &witness), "witness {:?}", witness);
        prop_assert!(diags.iter().all(|x| x.kind != "decision-gap"), "{:?}", diags);
    }
}

/// Models `m0` and `m1`; each fits a random non-empty subset of one input's answers.
fn models(radix: &[usize], bytes: &[u8]) -> Vec<Model> {
    (0..2)
        .map(|m| {
            let pick = |k: usize| bytes.get(k).copied().unwrap_or(0) as usize;
            let input = pick(3 * m) % radix.len();
            let n = radix[input];
            let mask = 1 + pick(3 * m + 1) % ((1 << n) - 1);
            let answers: Vec<String> = (0..n)
                .filter(|a| mask & (1 << a) != 0)
                .map(answer)
                .collect();
            Model {
                id: format!("m{m}"),
                name: format!("M{m}"),
                deployment: String::new(),
                technologies: Vec::new(),
                isolation_unit: String::new(),
                code_changes: String::new(),
                attestation: String::new(),
                memory: String::new(),
                stack: Vec::new(),
                access_override: Vec::new(),
                fits: vec![Fit {
                    input: input_id(input),
                    answers,
                    pos: Pos::default(),
                }],
                pos: Pos::default(),
            }
        })
        .collect()
}

/// What evaluating every combination says: per (rule, input), the unserved answers in
/// answer order and the first combination (in answer order) where the rule is chosen.
fn misfit_oracle(cmp: &Comparison, radix: &[usize]) -> Vec<String> {
    let d = cmp.decision.as_ref().expect("decision");
    let mut found: BTreeMap<(usize, usize), (Vec<usize>, String)> = BTreeMap::new();
    for combo in combinations(radix) {
        for rule in evaluate(d, &combo) {
            let r = d
                .rules
                .iter()
                .position(|x| std::ptr::eq(x, rule))
                .expect("rule");
            let Some(model) = cmp.models.iter().find(|m| m.id == rule.then) else {
                continue;
            };
            for f in &model.fits {
                let i = d
                    .inputs
                    .iter()
                    .position(|x| x.id == f.input)
                    .expect("input");
                let given = &combo[&f.input];
                if f.answers.contains(given) || f.answers.len() == radix[i] {
                    continue;
                }
                let a = d.inputs[i]
                    .answers
                    .iter()
                    .position(|x| x == given)
                    .expect("answer");
                let text: Vec<String> = d
                    .inputs
                    .iter()
                    .map(|x| format!("{}={}", x.id, combo[&x.id]))
                    .collect();
                let e = found
                    .entry((r, i))
                    .or_insert_with(|| (Vec::new(), text.join(", ")));
                if !e.0.contains(&a) {
                    e.0.push(a);
                }
            }
        }
    }
    found
        .into_iter()
        .map(|((r, i), (mut answers, witness))| {
            answers.sort_unstable();
            let rule = &d.rules[r];
            let input = &d.inputs[i];
            let fit = cmp.models.iter().find(|m| m.id == rule.then).and_then(|m| m.fits.first()).map(|f| f.answers.join(", ")).unwrap_or_default();
            let bad: Vec<&str> = answers.iter().map(|&a| input.answers[a].as_str()).collect();
            format!(
                "models.toml:{}:1: error: rule {} recommends {m} for {}={}, which {m} does not fit (fits {} = {fit}); witness: {witness}",
                rule.pos.line, rule.id, input.id, bad.join("|"), input.id, m = rule.then
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn misfits_match_evaluation_by_both_methods(
        seed in table_seed(),
        policy in policy(),
        fit_bytes in prop::collection::vec(any::<u8>(), 6),
        extra_at in any::<usize>(),
        swap_priority in any::<bool>(),
    ) {
        let rules = build(&seed);
        let mut d = decision(&seed.0, &rules, policy);
        // One more rule, overlapping others, so first/priority/collect differ.
        let mut extra = d.rules[extra_at % d.rules.len()].clone();
        extra.id = "X".into();
        extra.when.pop_first();
        extra.then = if fit_bytes[5] % 2 == 0 { "m0".into() } else { "m1".into() };
        let at = extra_at % (d.rules.len() + 1);
        d.rules.insert(at, extra);
        for (n, r) in d.rules.iter_mut().enumerate() {
            r.pos = Pos { line: n + 2, col: 1 };
        }
        d.priority = if swap_priority { vec!["m1".into(), "m0".into()] } else { vec!["m0".into(), "m1".into()] };
        let mut cmp = comparison(d);
        cmp.models = models(&seed.0, &fit_bytes);
        let shown = |m: Method| -> Vec<String> { misfits(&cmp, m).iter().map(ToString::to_string).collect() };
        let enumerated = shown(Method::Enumerate);
        prop_assert_eq!(&enumerated, &shown(Method::Symbolic));
        let expected = misfit_oracle(&cmp, &seed.0);
        if expected.len() <= 20 {
            prop_assert_eq!(&enumerated, &expected);
        } else {
            prop_assert_eq!(&enumerated[..20], &expected[..20]);
            let more = format!("and {} more misfits", expected.len() - 20);
            prop_assert!(enumerated[20].contains(&more), "{}", enumerated[20]);
        }
    }
}
