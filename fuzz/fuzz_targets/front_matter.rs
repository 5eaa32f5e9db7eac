//! Fuzz target `front_matter`: the body is `trustdoc::fuzzing::front_matter`, shared with the regression test.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trustdoc::fuzzing::front_matter(data);
});
