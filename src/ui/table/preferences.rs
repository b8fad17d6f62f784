//! Which columns are shown and how wide, remembered across visits in the browser's localStorage, and the
//! "Columns" menu that chooses them.

use super::columns::Column;
use crate::sorting::{btree_map, sort_by_key};
use crate::ui::browser::storage::{load_text, save_text};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const STORAGE_KEY: &str = "trace-viewer.table-columns.v1";
pub const MIN_WIDTH: u32 = 60;

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnPreferences {
    /// Shown columns, in table order.
    pub shown: Vec<Column>,
    widths: BTreeMap<&'static str, u32>,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    shown: Vec<String>,
    widths: BTreeMap<String, u32>,
}

impl Default for ColumnPreferences {
    fn default() -> ColumnPreferences {
        ColumnPreferences { shown: Column::ALL.into_iter().filter(|column| column.shown_by_default()).collect(), widths: BTreeMap::new() }
    }
}

impl ColumnPreferences {
    /// The saved choice, or the defaults when there is none (or it cannot be read).
    pub fn load() -> ColumnPreferences {
        let saved = load_text(STORAGE_KEY).and_then(|text| serde_json::from_str::<Saved>(&text).ok());
        let Some(saved) = saved else { return ColumnPreferences::default() };
        let shown: Vec<Column> = saved.shown.iter().filter_map(|id| Column::from_id(id)).collect();
        if shown.is_empty() {
            return ColumnPreferences::default();
        }
        let widths = btree_map(saved.widths.iter().filter_map(|(id, width)| Some((Column::from_id(id)?.id(), (*width).max(MIN_WIDTH)))));
        ColumnPreferences { shown, widths }
    }

    pub fn save(&self) {
        let saved = Saved {
            shown: self.shown.iter().map(|column| column.id().to_string()).collect(),
            widths: btree_map(self.widths.iter().map(|(id, width)| (id.to_string(), *width))),
        };
        if let Ok(text) = serde_json::to_string(&saved) {
            save_text(STORAGE_KEY, &text);
        }
    }

    pub fn width(&self, column: Column) -> u32 {
        self.widths.get(column.id()).copied().unwrap_or_else(|| column.default_width())
    }

    pub fn set_width(&mut self, column: Column, width: u32) {
        self.widths.insert(column.id(), width.max(MIN_WIDTH));
    }

    pub fn toggle(&mut self, column: Column) {
        if self.shown.contains(&column) {
            if self.shown.len() > 1 {
                self.shown.retain(|shown| *shown != column);
            }
        } else {
            // Keep MLflow's column order whatever order they were switched on in.
            self.shown.push(column);
            sort_by_key(&mut self.shown, |shown| Column::ALL.iter().position(|c| c == shown));
        }
    }

    /// The CSS grid template shared by the header and every row (a checkbox column first).
    pub fn grid_template(&self) -> String {
        let mut template = String::from("36px");
        for column in &self.shown {
            template.push_str(&format!(" {}px", self.width(*column)));
        }
        template
    }
}

/// The "Columns" menu: a checkbox per column, shown or not.
#[component]
pub fn ColumnPicker(preferences: RwSignal<ColumnPreferences>) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div class="column-menu">
            <button class="button" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|open| *open = !*open)>
                "Columns"
            </button>
            <Show when=move || open.get()>
                <ul class="column-picker" role="menu">
                    {Column::ALL.into_iter().map(|column| view! {
                        <li>
                            <label>
                                <input
                                    type="checkbox"
                                    prop:checked=move || preferences.with(|p| p.shown.contains(&column))
                                    on:change=move |_| preferences.update(|p| p.toggle(column))
                                />
                                {column.label()}
                            </label>
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
        </div>
    }
}
