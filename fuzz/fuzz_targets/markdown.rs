//! Chat markdown written by models: any text parses into blocks, never a panic (and in linear time: libFuzzer
//! reports slow units).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    trace_viewer::markdown::parse(text);
});
