fn main() {
    leptos::mount::mount_to_body(trace_viewer::ui::App);
}
