"""The app shell end to end: the demo by default, a real tracking server's traces, a trace opened by
URL, and clear messages when the server refuses, fails or cannot be reached."""

import json
import re

from playwright.sync_api import expect

from conftest import FOREIGN_HOST, ROOT, eventually


def test_the_demo_data_set_is_shown_with_no_parameters(viewer):
    demo = json.loads((ROOT / "demo" / "traces.json").read_text())
    page = viewer.open()
    viewer.wait_for_rows(len(demo))
    expect(page.locator("[data-testid=trace-count]")).to_have_text(f"{len(demo)} traces")
    expect(page.locator(".source-label")).to_have_text("Demo data set")
    assert not viewer.console_errors, viewer.console_errors


def test_a_trace_file_by_url(viewer):
    page = viewer.open(traces="demo/traces.json")
    expect(viewer.rows().first).to_be_visible()
    expect(page.locator(".source-label")).to_have_text("demo/traces.json")


def test_the_seeded_traces_are_listed_from_the_server(viewer, seeded):
    viewer.open(server=seeded.url, experiment_id=seeded.experiment_id)
    viewer.wait_for_rows(len(seeded.trace_ids))
    assert sorted(viewer.listed_ids()) == sorted(seeded.trace_ids)
    assert not viewer.console_errors, viewer.console_errors


def test_opening_a_server_trace_shows_its_spans(viewer, seeded):
    import mlflow

    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id)
    first = viewer.rows().first
    trace_id = first.get_attribute("data-trace-id")
    first.locator("[data-column=trace_name] .open-trace").click()
    trace = mlflow.MlflowClient(seeded.url).get_trace(trace_id)
    expect(page.locator(".span-row")).to_have_count(len(trace.data.spans))
    expect(page.locator(".trace-header")).to_contain_text(trace_id)
    assert f"trace_id={trace_id}" in page.url
    page.go_back()
    viewer.wait_for_rows(len(seeded.trace_ids))
    expect(page.locator(".table-page")).not_to_have_class("table-page behind")


def test_trace_id_in_the_url_opens_that_trace(viewer, seeded):
    import mlflow

    trace = mlflow.MlflowClient(seeded.url).get_trace(seeded.trace_ids[-1])
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=seeded.trace_ids[-1])
    expect(page.locator(".span-row")).to_have_count(len(trace.data.spans))
    root = next(span for span in trace.data.spans if span.parent_id is None)
    expect(page.locator(".trace-header h1")).to_contain_text(root.name)


# Records each fetch with the script that sent it: prefetch.js sends while it runs (document.currentScript),
# the app later, from its own tasks.
RECORD_FETCHES = """
window.__fetches = [];
const originalFetch = window.fetch;
window.fetch = function (input, init) {
  const url = typeof input === 'string' ? input : input.url;
  window.__fetches.push([url, document.currentScript ? document.currentScript.src.split('/').pop() : 'app']);
  return originalFetch.apply(this, arguments);
};
"""


def sent_by(page, url: str) -> list[str]:
    return [who for sent, who in page.evaluate("window.__fetches") if sent == url]


def test_a_trace_links_requests_start_before_the_app_and_its_list_follows_the_trace(viewer, seeded):
    """prefetch.js starts the trace's requests while the wasm loads and the app takes the answers over; the
    list (for j/k and Back) is asked for only once the trace has loaded, so the server answers the trace alone."""
    trace_id = seeded.trace_ids[0]
    viewer.page.add_init_script(RECORD_FETCHES)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id=trace_id)
    expect(page.locator(".trace-header")).to_contain_text(trace_id)
    expect(page.locator(".span-row").first).to_be_visible()
    search = f"{seeded.url}/api/3.0/mlflow/traces/search"
    # Polled from here: the page's Content-Security-Policy forbids the eval that wait_for_function's polling uses.
    eventually(lambda: page.evaluate("url => performance.getEntriesByType('resource').some(entry => entry.name === url)", search))
    assert page.evaluate("Object.keys(window.__traceViewerPrefetched)") == [], "every prefetched answer was taken"
    trace_requests = [f"{seeded.url}/api/3.0/mlflow/traces/{trace_id}", f"{seeded.url}/ajax-api/3.0/mlflow/get-trace-artifact?request_id={trace_id}"]
    for url in trace_requests:
        assert sent_by(page, url) == ["prefetch.js"], (url, page.evaluate("window.__fetches"))
    assert sent_by(page, search) == ["app"]
    timing = page.evaluate("""urls => {
        const entries = performance.getEntriesByType('resource');
        return [Math.max(...urls.map(url => entries.find(entry => entry.name === url).responseEnd)),
                entries.find(entry => entry.name.endsWith('/traces/search')).startTime];
    }""", trace_requests)
    assert timing[1] >= timing[0], f"the list was asked for at {timing[1]} ms, before the trace's answers ({timing[0]} ms)"
    expect(page.locator(".error-panel")).to_have_count(0)
    # Back finds the list.
    page.keyboard.press("Escape")
    viewer.wait_for_rows(len(seeded.trace_ids))


def test_a_list_links_first_page_is_asked_for_before_the_app_starts(viewer, seeded):
    viewer.page.add_init_script(RECORD_FETCHES)
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id)
    viewer.wait_for_rows(len(seeded.trace_ids))
    assert sent_by(page, f"{seeded.url}/api/3.0/mlflow/traces/search") == ["prefetch.js"]
    assert page.evaluate("Object.keys(window.__traceViewerPrefetched)") == [], "the prefetched answer was taken"
    expect(page.locator(".error-panel")).to_have_count(0)


def test_the_experiment_picker_opens_the_chosen_experiment(viewer, seeded):
    page = viewer.open(server=seeded.url)
    page.get_by_role("button", name="demo-agent").click()
    viewer.wait_for_rows(len(seeded.trace_ids))
    assert f"experiment_id={seeded.experiment_id}" in page.url


def test_an_unknown_trace_shows_mlflows_error_message(viewer, seeded):
    page = viewer.open(server=seeded.url, experiment_id=seeded.experiment_id, trace_id="tr-00000000000000000000000000000000")
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text("Could not load this trace")
    expect(panel).to_contain_text(re.compile(r"404 RESOURCE_DOES_NOT_EXIST: .*tr-00000000000000000000000000000000"))
    expect(panel.get_by_role("button", name="Try again")).to_be_visible()


def test_a_cors_refusal_says_which_origin_to_allow(viewer, seeded):
    page = viewer.open(host=FOREIGN_HOST, server=seeded.url, experiment_id=seeded.experiment_id)
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text("Could not reach")
    expect(panel).to_contain_text(f"--cors-allowed-origins http://{FOREIGN_HOST}:{viewer.port}")


def test_an_unreachable_server_says_so(viewer):
    from mlflow_server import free_port

    page = viewer.open(server=f"http://127.0.0.1:{free_port()}")
    expect(page.locator(".error-panel")).to_contain_text("Could not reach")
    expect(page.locator(".error-panel")).to_contain_text("The server may be down")


def test_a_server_that_accepts_but_never_answers_is_given_up_on_with_a_message(viewer):
    """A hung server (it accepts the connection, then says nothing): a clear message, not endless loading."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []
    threading.Thread(target=lambda: [held.append(listener.accept()) for _ in range(8)], daemon=True).start()
    try:
        page = viewer.open(server=f"http://127.0.0.1:{listener.getsockname()[1]}", experiment_id="1")
        expect(page.get_by_role("status")).to_have_text("Loading traces…")
        expect(page.locator(".error-panel")).to_contain_text("did not answer within 20 seconds", timeout=30_000)
        expect(page.get_by_role("button", name="Try again")).to_be_visible()
    finally:
        listener.close()


def test_the_theme_follows_the_system_until_the_user_picks_one(browser, static_port):
    from conftest import Viewer

    context = browser.new_context(viewport={"width": 1000, "height": 700}, color_scheme="dark")
    viewer = Viewer(context.new_page(), static_port)
    page = viewer.open()
    background = lambda: page.evaluate("() => getComputedStyle(document.body).backgroundColor")  # noqa: E731
    expect(page.locator(".trace-row").first).to_be_visible()
    assert background() == "rgb(20, 23, 28)", "dark, as the system is"
    page.get_by_label("Theme").select_option("light")
    assert background() == "rgb(255, 255, 255)"
    page.reload()
    expect(page.get_by_label("Theme")).to_have_value("light")
    assert background() == "rgb(255, 255, 255)", "the choice is remembered"
    page.get_by_label("Theme").select_option("system")
    assert background() == "rgb(20, 23, 28)"
    context.close()


def test_embedded_without_its_header_and_sized_by_the_height_it_reports(viewer, served_files):
    demo = json.loads((ROOT / "demo" / "traces.json").read_text())
    trace_id = demo[0]["info"]["trace_id"]
    (served_files / "host.html").write_text(f"""<!doctype html>
<title>host</title>
<p>A dashboard with the viewer inside:</p>
<iframe id="viewer" src="../?embed=1&trace_id={trace_id}" style="width: 100%; height: 150px; border: 0"></iframe>
<script>
  addEventListener("message", event => {{
    if (event.data && event.data.type === "trace-viewer:height") {{
      const frame = document.getElementById("viewer");
      frame.style.height = event.data.height + "px";
      frame.dataset.reported = event.data.height;
    }}
  }});
</script>""")
    page = viewer.page
    page.goto(f"http://127.0.0.1:{viewer.port}/e2e/host.html")
    frame = page.frame_locator("#viewer")
    expect(frame.locator(".trace-header")).to_contain_text(trace_id)
    expect(frame.locator(".app-header")).to_be_hidden()
    iframe = page.locator("#viewer")
    expect(iframe).to_have_attribute("data-reported", re.compile(r"^\d+$"))
    page.wait_for_timeout(500)  # the height settles as the trace view lays out
    reported = int(iframe.get_attribute("data-reported"))
    assert reported > 400, reported
    assert abs(iframe.evaluate("f => f.getBoundingClientRect().height") - reported) <= 1
    # Links inside the frame keep it embedded.
    frame.locator(".back-link").click()
    expect(frame.locator(".trace-row").first).to_be_visible()
    expect(frame.locator(".app-header")).to_be_hidden()


def test_mlflow_frame_protocol_and_selection_events(viewer, served_files):
    """MLflow's frame renderer protocol: READY up, UPDATE_TRACE down, LOG_ERROR up; selections reported."""
    demo = json.loads((ROOT / "demo" / "traces.json").read_text())
    trace = next(t for t in demo if len(t["data"]["spans"]) > 3)
    (served_files / "trace.json").write_text(json.dumps(trace))
    (served_files / "frame-host.html").write_text("""<!doctype html>
<title>frame host</title>
<iframe id="viewer" src="../?embed=1" style="width: 100%; height: 700px; border: 0"></iframe>
<script>
  window.received = [];
  window.payload = fetch("trace.json").then(r => r.json());
  addEventListener("message", async event => {
    window.received.push(event.data);
    if (event.data && event.data.type === "READY") {
      event.source.postMessage({type: "UPDATE_TRACE", traceData: await window.payload}, "*");
    }
  });
</script>""")
    page = viewer.page
    page.goto(f"http://127.0.0.1:{viewer.port}/e2e/frame-host.html")
    frame = page.frame_locator("#viewer")
    expect(frame.locator(".trace-header")).to_contain_text(trace["info"]["trace_id"])
    expect(frame.locator(".source-label")).to_be_hidden()
    received = lambda kind: [m for m in page.evaluate("window.received") if isinstance(m, dict) and m.get("type") == kind]
    assert len(received("READY")) == 1
    assert received("trace-viewer:select")[-1] == {"type": "trace-viewer:select", "trace_id": trace["info"]["trace_id"], "span_id": None}

    # Selecting a span tells the host which one.
    child = trace["data"]["spans"][2]
    frame.locator(".span-row", has_text=child["name"]).first.click()
    expect(frame.locator(".span-title")).to_have_text(child["name"])
    page.wait_for_timeout(200)
    last = received("trace-viewer:select")[-1]
    assert last["trace_id"] == trace["info"]["trace_id"] and last["span_id"]

    # A trace that cannot be read: the host hears why, and the frame says so rather than going blank.
    page.evaluate("""document.getElementById("viewer").contentWindow.postMessage({type: "UPDATE_TRACE", traceData: "{not json"}, "*")""")
    expect(frame.locator(".error-panel")).to_contain_text("cannot be read")
    page.wait_for_timeout(200)
    assert "cannot be read" in received("LOG_ERROR")[-1]["error"]


def test_the_javascript_api_mounts_updates_and_unmounts_without_touching_the_host_url(viewer, served_files, seeded):
    demo = json.loads((ROOT / "demo" / "traces.json").read_text())
    (served_files / "mount-data.json").write_text(json.dumps(demo[:3]))
    (served_files / "mount-host.html").write_text(f"""<!doctype html>
<title>dashboard</title>
<link rel="icon" href="data:,">
<h1>A dashboard</h1>
<div id="slot"></div>
<div id="live"></div>
<script>window.TRACE_VIEWER_MANUAL_MOUNT = true;</script>
<script type="module" src="../loader.js"></script>
<script>
  addEventListener("TrunkApplicationStarted", async () => {{
    const traces = await (await fetch("mount-data.json")).json();
    window.viewer = window.wasmBindings.mount(document.getElementById("slot"), {{traces}});
    window.live = window.wasmBindings.mount(document.getElementById("live"),
      {{server: "{seeded.url}", experimentIds: ["{seeded.experiment_id}"], theme: "dark"}});
  }});
</script>""")
    page = viewer.page
    host_url = f"http://127.0.0.1:{viewer.port}/e2e/mount-host.html"
    page.goto(host_url)
    slot, live = page.locator("#slot"), page.locator("#live")
    expect(slot.locator(".trace-row")).to_have_count(3)
    expect(live.locator("[role=table]")).to_have_attribute("aria-rowcount", str(len(seeded.trace_ids)))
    expect(slot.locator(".app-header")).to_be_hidden()
    # Styled by the stylesheet loader.js brought in.
    assert slot.locator(".trace-row").first.evaluate("row => getComputedStyle(row).display") == "grid"
    slot.locator(".trace-row").first.locator(".open-trace").first.click()
    expect(slot.locator(".trace-header")).to_contain_text(demo[0]["info"]["trace_id"])
    assert page.url == host_url, "the host's URL is the host's"
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert slot.locator(".trace-header").evaluate("e => getComputedStyle(e).color") == "rgb(228, 232, 239)", "dark text"
    # The host hands over another trace, then removes the viewer.
    page.evaluate("trace => window.viewer.update(trace)", demo[5])
    expect(slot.locator(".trace-header")).to_contain_text(demo[5]["info"]["trace_id"])
    page.evaluate("window.viewer.unmount()")
    expect(slot.locator("*")).to_have_count(0)
    expect(live.locator(".trace-row").first).to_be_visible()
    assert not viewer.console_errors, viewer.console_errors
