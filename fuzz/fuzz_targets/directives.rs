//! Fuzz target `directives`: the body is `trustdoc::fuzzing::directives`, shared with the regression test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trustdoc::fuzzing::directives(data);
});
