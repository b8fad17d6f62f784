//! Trace files in every format the viewer opens (MLflow's, OTLP JSON, JSON lines, older exports): any bytes
//! give traces or an error, and whatever parses survives what the views compute from it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trace_viewer::model::{chat, parse_traces_bytes, tree::SpanTree};

fuzz_target!(|bytes: &[u8]| {
    let Ok(traces) = parse_traces_bytes(bytes) else { return };
    for trace in &traces {
        let tree = SpanTree::build(&trace.spans);
        tree.critical_path(&trace.spans);
        for span in &trace.spans {
            chat::conversation(span);
        }
    }
});
