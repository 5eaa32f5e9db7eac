//! Replays every stored fuzz input (`tests/fuzz_regressions/<target>/*`) through the same
//! `trustdoc::fuzzing` function its `cargo fuzz` target calls: no panic, and each input
//! finishes well inside the fuzzer's own time limit even in a debug build.

use std::path::Path;
use std::time::{Duration, Instant};

/// libFuzzer ran with `-timeout=10` on an optimised build; debug builds are slower.
const LIMIT: Duration = Duration::from_secs(30);

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no stored inputs in {}", dir.display());
    for path in inputs {
        let bytes = std::fs::read(&path).expect("read input");
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| run(&bytes));
        let took = start.elapsed();
        assert!(result.is_ok(), "{} panicked", path.display());
        assert!(
            took < LIMIT,
            "{} took {took:?} (limit {LIMIT:?})",
            path.display()
        );
    }
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", trustdoc::fuzzing::front_matter);
}

#[test]
fn docfx_inputs() {
    replay("docfx", trustdoc::fuzzing::docfx);
}

#[test]
fn directives_inputs() {
    replay("directives", trustdoc::fuzzing::directives);
}

#[test]
fn comparison_inputs() {
    replay("comparison", trustdoc::fuzzing::comparison);
}

#[test]
fn page_inputs() {
    replay("page", trustdoc::fuzzing::page);
}
