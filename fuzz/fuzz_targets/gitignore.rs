#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| mami_clean::fuzz::gitignore(data));
