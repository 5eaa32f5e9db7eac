//! Fuzz target `docfx`: the body is `trustdoc::fuzzing::docfx`, shared with the regression test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trustdoc::fuzzing::docfx(data);
});
