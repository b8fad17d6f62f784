fn main() {
    trace_viewer::ui::panic_panel::install();
    leptos::mount::mount_to_body(trace_viewer::ui::App);
}
