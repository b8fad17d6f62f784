//! Leptos components: the app shell, one module per screen, and shared widgets.

pub mod assessments_pane;
pub mod chart;
pub mod chat_view;
pub mod download;
pub mod embed;
pub mod error_panel;
pub mod experiment_picker;
pub mod json_tree;
pub mod long_text;
pub mod markdown_view;
pub mod media;
pub mod minimap;
pub mod overview;
pub mod panic_panel;
pub mod shell;
pub mod shortcuts;
pub mod span_explorer;
pub mod span_links;
pub mod span_panel;
pub mod state_badge;
pub mod storage;
pub mod tag_editor;
pub mod theme;
pub mod time;
pub mod trace_detail;
pub mod traces_table;
pub mod windowing;

pub use shell::App;
