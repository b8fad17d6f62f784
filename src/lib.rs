//! trace-viewer: a WebAssembly viewer for GenAI traces in MLflow's data model.
//!
//! Layers (see docs/ARCHITECTURE.md): [`model`], [`analytics`], [`query`], [`location`], [`axis`], [`raster`],
//! [`markdown`], [`sorting`] and [`format`] are pure Rust, tested natively; [`api`] talks to tracking servers;
//! [`data`] hides where traces come from; [`pacing`] cuts long work into slices between which the page paints;
//! [`ui`] holds the Leptos components.

pub mod analytics;
pub mod api;
pub mod axis;
pub mod data;
pub mod format;
pub mod location;
pub mod markdown;
pub mod model;
pub mod pacing;
pub mod query;
pub mod raster;
pub mod sorting;
pub mod ui;
