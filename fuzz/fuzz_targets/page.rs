//! Fuzz target `page`: the body is `trustdoc::fuzzing::page`, shared with the regression test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trustdoc::fuzzing::page(data);
});
