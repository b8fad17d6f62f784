"""Large inputs: a span output of 5 MB logged through the SDK to the real server is cut, says so and
downloads in full; 10,000 tags are listed a page at a time, in the trace view and in the table; loading
files says which file and how much is being read, and a bad file does not stop the others; a large file's
first rows show while the rest is read, and a file found invalid at its end is taken back out."""

import json
import re
import os

from playwright.sync_api import expect

FIVE_MB = 5 * 1024 * 1024


def test_a_5_mb_output_and_10000_tags(viewer, seeded, tmp_path):
    import mlflow

    mlflow.set_tracking_uri(seeded.url)
    os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"
    experiment_id = mlflow.set_experiment("e2e-huge").experiment_id
    long_output = ("All work and no play makes the model a dull boy. " * 110_000)[:FIVE_MB]
    tags = {f"tag_{i:05}": f"value {i}" for i in range(10_000)}
    with mlflow.start_span("agent") as root:
        root.set_inputs({"question": "summarise everything"})
        with mlflow.start_span("big_step") as step:
            step.set_outputs(long_output)
        mlflow.update_current_trace(tags=tags)
    trace_id = root.trace_id

    page = viewer.open(server=seeded.url, experiment_id=experiment_id)
    row = page.locator(f".trace-row[data-trace-id='{trace_id}']")
    page.get_by_role("button", name="Columns").click()
    page.get_by_label("Tags").check()
    expect(row.locator("[data-column=tags] .chip")).to_have_count(21)
    expect(row.locator("[data-column=tags] .chip").last).to_have_text("+9,980 more")

    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=trace_id)
    editor = page.get_by_label("Tags")
    expect(editor.locator(".tag")).to_have_count(40)
    editor.get_by_role("button", name="Show 200 more tags (9,960 not shown)").click()
    expect(editor.locator(".tag")).to_have_count(240)
    expect(editor.locator("[data-tag-key=tag_00239] .tag-text")).to_have_text("tag_00239: value 239")

    page.locator(".span-row", has_text="big_step").click()
    panel = page.get_by_label("Selected span")
    panel.get_by_role("tab", name="Inputs / Outputs").click()
    expect(panel.locator(".too-long")).to_have_text("Too long to show here in full (5,242,880 characters).")
    expect(panel.locator(".json-string")).to_contain_text("All work and no play")
    with page.expect_download() as download:
        panel.get_by_role("button", name="Download").click()
    saved = tmp_path / "output.txt"
    download.value.save_as(saved)
    assert saved.read_text() == long_output


# Records every text the loading status shows (before the table, then beside its count), before the app starts.
STATUS_LOG = """
window.__statuses = [];
new MutationObserver(() => {
  const status = document.querySelector('.loading[role=status], .reading[role=status]');
  if (status && window.__statuses[window.__statuses.length - 1] !== status.textContent) {
    window.__statuses.push(status.textContent);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def test_loading_files_says_which_one_and_how_big_and_a_bad_one_does_not_stop_the_others(viewer, served_files):
    (served_files / "not-json.json").write_text("{ this is not JSON")
    demo_size = (served_files.parent / "demo" / "traces.json").stat().st_size
    viewer.page.add_init_script(STATUS_LOG)
    page = viewer.open(traces=["demo/traces.json", "e2e/not-json.json"])
    expect(viewer.rows().first).to_be_visible()
    expect(page.locator(".warning, .error-panel").first).to_contain_text("e2e/not-json.json")
    statuses = [status for status in page.evaluate("window.__statuses") if status != "Loading traces…"]
    # While a file is parsed (a slice at a time), the status says how far it is.
    size = f"{demo_size / 1000:.1f} KB"
    progress = [s for s in statuses if re.fullmatch(rf"Reading demo/traces\.json \(file 1 of 2\): {size}, [\d,]+ traces, \d+%…", s)]
    assert progress and progress[-1].endswith(", 100%…"), statuses
    statuses = [status for status in statuses if status not in progress]
    assert statuses[:3] == [
        "Loading demo/traces.json (file 1 of 2)…",
        f"Reading demo/traces.json (file 1 of 2): {size}…",
        "Loading e2e/not-json.json (file 2 of 2)…",
    ], statuses
    expect(page.locator(".warning, .error-panel").first).to_contain_text("e2e/not-json.json")


def many_traces(count: int) -> list[dict]:
    """`count` one-span traces in Trace.to_json() form, a minute apart, the last the newest."""
    traces = []
    for i in range(count):
        start_ns = 1_795_000_000_000_000_000 + i * 60_000_000_000
        span = {"trace_id": f"{i:024x}", "span_id": f"{i:016x}", "parent_span_id": None, "name": "agent",
                "start_time_unix_nano": start_ns, "end_time_unix_nano": start_ns + 1_000_000_000,
                "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
                "attributes": {"mlflow.spanType": '"AGENT"', "mlflow.spanInputs": json.dumps({"question": f"question {i}"})}}
        traces.append({"info": {"trace_id": f"tr-{i:032x}", "state": "OK", "execution_duration_ms": 1000,
                                "request_time": f"2026-11-{1 + i // 1440 % 28:02}T{i // 60 % 24:02}:{i % 60:02}:00Z"},
                       "data": {"spans": [span]}})
    return traces


# What the page showed beside the first row, at the moment it appeared.
AT_FIRST_ROW = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.trace-row')) {
    window.__atFirstRow = {reading: document.querySelector('.reading[role=status]')?.textContent ?? null,
                           bar: document.querySelector('.reading progress')?.value ?? null};
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_a_large_file_shows_its_first_rows_while_the_rest_is_read(viewer, served_files):
    traces = many_traces(20_000)
    (served_files / "many.json").write_text(json.dumps(traces))
    viewer.page.add_init_script(AT_FIRST_ROW)
    page = viewer.open(traces=["e2e/many.json"])
    count = page.locator("[data-testid=trace-count]")
    expect(count).to_have_text("20,000 traces", timeout=30_000)
    at_first_row = page.evaluate("window.__atFirstRow")
    assert re.fullmatch(r"Reading e2e/many\.json: [\d.]+ MB, [\d,]+ traces, \d+%…", at_first_row["reading"] or ""), at_first_row
    # The bar shows the share the words give.
    percent = int(re.search(r"(\d+)%", at_first_row["reading"]).group(1))
    assert at_first_row["bar"] is not None and 0 < at_first_row["bar"] < 1, at_first_row
    assert int(at_first_row["bar"] * 100) == percent, at_first_row
    expect(page.locator(".reading")).to_have_count(0)
    # Every trace is there once, newest first.
    expect(viewer.rows().first).to_have_attribute("data-trace-id", traces[-1]["info"]["trace_id"])
    assert page.locator("[role=table]").get_attribute("aria-rowcount") == "20000"


def test_a_trace_linked_in_a_large_file_then_left_shows_the_whole_file(viewer, served_files):
    """The list's first answer holds only the traces of the first slice; opening, walking and leaving a
    trace must not bring the rows back to it."""
    traces = many_traces(5_000)
    (served_files / "walk.json").write_text(json.dumps(traces))
    page = viewer.open(traces=["e2e/walk.json"], trace_id=traces[-1]["info"]["trace_id"])
    expect(page.locator(".trace-header")).to_contain_text(traces[-1]["info"]["trace_id"], timeout=30_000)
    page.keyboard.press("j")
    expect(page.locator(".trace-header")).to_contain_text(traces[-2]["info"]["trace_id"])
    page.keyboard.press("Escape")
    viewer.wait_for_rows(5_000)
    expect(page.locator("[data-testid=trace-count]")).to_have_text("5,000 traces")


def test_a_file_found_invalid_at_its_end_is_taken_back_out(viewer, served_files):
    traces = many_traces(20_000)
    traces.append({"info": {"trace_id": "tr-broken", "request_time": 5}, "data": {"spans": []}})
    (served_files / "bad-end.json").write_text(json.dumps(traces))
    page = viewer.open(traces=["e2e/bad-end.json"])
    warning = page.locator(".warning[role=alert]")
    expect(warning).to_contain_text("Some files could not be read.", timeout=30_000)
    expect(warning).to_contain_text("e2e/bad-end.json: at $[20000].info.request_time: expected an RFC 3339 time, found the number 5")
    expect(page.locator("[data-testid=trace-count]")).to_have_text("0 traces")
    expect(viewer.rows()).to_have_count(0)


def test_traces_sent_by_the_host_while_a_file_is_read_replace_it_for_good(viewer, served_files):
    """A page embedding the viewer on a large file sends its own traces meanwhile: they are what stays."""
    (served_files / "many.json").write_text(json.dumps(many_traces(20_000)))
    sent = many_traces(3)
    (served_files / "sent.json").write_text(json.dumps(sent))
    (served_files / "reading-host.html").write_text("""<!doctype html>
<title>host</title>
<iframe id="viewer" src="../?embed=1&traces=e2e/many.json" style="width: 100%; height: 700px; border: 0"></iframe>
<script>
  window.payload = fetch("sent.json").then(r => r.json());
  window.send = async () => document.getElementById("viewer").contentWindow.postMessage(
    {type: "UPDATE_TRACE", traceData: await window.payload}, "*");
</script>""")
    page = viewer.page
    page.goto(f"http://127.0.0.1:{viewer.port}/e2e/reading-host.html")
    frame = page.frame_locator("#viewer")
    expect(frame.locator(".reading")).to_be_visible()
    page.evaluate("window.send()")
    expect(frame.locator(".trace-row")).to_have_count(3)
    # Long after the file would have been read, the rows are still the host's.
    page.wait_for_timeout(3000)
    expect(frame.locator(".trace-row")).to_have_count(3)
    expect(frame.locator(".reading")).to_have_count(0)
    expect(frame.locator(".trace-row").first).to_have_attribute("data-trace-id", sent[-1]["info"]["trace_id"])
