//! One trace: its header, tags and the span explorer (tree, timeline, minimap), the selected span's panel
//! (chat, inputs and outputs, documents, links, assessments) and the keyboard shortcuts.

pub mod assessments_pane;
pub mod chat_view;
pub mod detail;
pub mod graph_view;
pub mod minimap;
pub mod shortcuts;
pub mod span_explorer;
pub mod span_links;
pub mod span_panel;
pub mod tag_editor;
