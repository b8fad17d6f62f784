//! Figures over many traces for the overview: requests, latency, errors, tokens, cost, assessments and tool
//! calls over time. Pure Rust, tested natively.
//!
//! [`query`] is the tracking server's metrics query and answer; [`compute`] answers the same query in the
//! browser from loaded traces, by the server's rules; [`overview`] turns answers into each tab's figures;
//! [`time`] holds ranges, units and buckets.

pub mod compute;
pub mod overview;
pub mod query;
pub mod time;

pub use compute::compute;
pub use query::{Aggregation, DataPoint, MetricsQuery, ViewType};
