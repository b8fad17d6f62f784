//! What only a browser has: storage, downloads, the theme, local time, the parent frame, the panic panel.

pub mod download;
pub mod embed;
pub mod panic_panel;
pub mod storage;
pub mod theme;
pub mod time;
