//! Leptos components, one folder per screen: the app shell, the trace table, one trace, the overview; then
//! widgets the screens share and the browser's own services.

pub mod browser;
pub mod compare;
pub mod listing;
pub mod navigation;
pub mod overview;
pub mod rows;
pub mod session;
pub mod shell;
pub mod table;
pub mod trace;
pub mod widgets;

pub use shell::App;
