//! Components the screens share: the way back to the list, error panels, state badges, JSON trees, long texts, markdown, media and
//! windowed lists.

pub mod back_to_list;
pub mod error_panel;
pub mod json_tree;
pub mod long_text;
pub mod markdown_view;
pub mod media;
pub mod state_badge;
pub mod windowing;
