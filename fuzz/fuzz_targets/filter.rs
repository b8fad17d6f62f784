//! The search box's parsers: any text is a filter or a syntax error with a position, never a panic, and an
//! accepted filter prints back (the text sent to the server) to one that parses to the same filter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trace_viewer::query::order::OrderBy;
use trace_viewer::query::parse::parse_filter;

fuzz_target!(|input: &str| {
    if let Ok(filter) = parse_filter(input) {
        let printed = filter.to_string();
        let reparsed = parse_filter(&printed).unwrap_or_else(|err| panic!("{printed:?} does not parse: {err}"));
        assert_eq!(reparsed, filter, "{input:?} printed as {printed:?}");
    }
    if let Ok(order) = OrderBy::parse(input) {
        assert_eq!(OrderBy::parse(&order.to_string()).ok(), Some(order));
    }
});
