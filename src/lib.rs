//! trace-viewer: a WebAssembly viewer for GenAI traces in MLflow's data model.
//!
//! Layers (see docs/ARCHITECTURE.md): [`model`] is pure Rust and holds the trace model and every wire
//! format's parser.

pub mod model;
