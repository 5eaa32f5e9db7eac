//! Fuzz target `comparison`: the body is `trustdoc::fuzzing::comparison`, shared with the regression test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trustdoc::fuzzing::comparison(data);
});
