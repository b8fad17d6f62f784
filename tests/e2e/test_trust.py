"""Trust: who may frame the viewer and hear its messages, and what hostile but well-formed input does (a
server's answers, ids, media, adversarial text). Hostile pages are served from another origin
(`viewer.test`, mapped to this machine) and frame the viewer as an attacker would."""

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import DIST, FOREIGN_HOST, ROOT

HOST_PAGE = """<!doctype html>
<title>host</title>
<iframe id="viewer" src="{src}" style="width: 100%; height: 600px; border: 0"></iframe>
<script>
  window.received = [];
  addEventListener("message", event => window.received.push(event.data));
</script>"""


def demo_trace_id() -> str:
    return json.loads((ROOT / "demo" / "traces.json").read_text())[0]["info"]["trace_id"]


def framed_by(viewer, served_files, host: str, name: str):
    """Opens a page on `host` that frames the viewer (at 127.0.0.1) on a demo trace; returns the page and its
    frame."""
    src = f"http://127.0.0.1:{viewer.port}/?embed=1&trace_id={demo_trace_id()}"
    (served_files / name).write_text(HOST_PAGE.format(src=src))
    page = viewer.page
    page.goto(f"http://{host}:{viewer.port}/e2e/{name}")
    frame = page.frame_locator("#viewer")
    expect(frame.locator(".trace-header")).to_contain_text(demo_trace_id())
    page.wait_for_timeout(1000)  # heights and the selection would have been posted by now
    return page, frame


def message_types(page) -> list[str]:
    return [m.get("type") for m in page.evaluate("window.received") if isinstance(m, dict)]


@pytest.fixture
def config_json():
    """Writes config.json into the served build for one test (the viewer reads it beside its page) and removes it after."""
    path = DIST / "config.json"

    def write(config: dict) -> None:
        path.write_text(json.dumps(config))

    yield write
    path.unlink(missing_ok=True)


def test_a_page_of_another_origin_that_frames_the_viewer_hears_nothing(viewer, served_files):
    page, frame = framed_by(viewer, served_files, FOREIGN_HOST, "foreign-host.html")
    assert message_types(page) == [], "no height, selection or READY reaches a page that was not allowed"
    # The viewer itself works as usual inside the frame.
    frame.locator(".span-row").nth(1).click()
    page.wait_for_timeout(300)
    assert message_types(page) == []


def test_the_pages_own_origin_hears_height_and_selection(viewer, served_files):
    page, _ = framed_by(viewer, served_files, "127.0.0.1", "own-host.html")
    kinds = message_types(page)
    assert "trace-viewer:height" in kinds and "trace-viewer:select" in kinds and "READY" in kinds, kinds


def test_an_origin_named_in_config_json_hears_the_messages(viewer, served_files, config_json):
    config_json({"server": None, "embedders": [f"http://{FOREIGN_HOST}:{viewer.port}"]})
    asked = []
    viewer.page.on("request", lambda request: request.url.endswith("/config.json") and asked.append(request.url))
    page, _ = framed_by(viewer, served_files, FOREIGN_HOST, "allowed-host.html")
    kinds = message_types(page)
    assert "trace-viewer:height" in kinds and "READY" in kinds, kinds
    assert len(asked) == 1, f"config.json is read once for the embedders and the default source, not {len(asked)} times"


def test_traces_a_host_page_sends_stay_read_only_when_a_server_is_configured(viewer, served_files, seeded, config_json):
    """The default source (here a tracking server named by config.json) resolves while the host page's
    traces arrive: whichever comes first, the host's traces are shown read-only and nothing they name is
    written to the server."""
    config_json({"server": seeded.url})
    trace = json.loads((ROOT / "demo" / "traces.json").read_text())[0]
    trace["info"]["trace_id"] = seeded.trace_ids[0]  # a real trace's id: a write would reach it
    (served_files / "claimed.json").write_text(json.dumps(trace))
    (served_files / "eager-host.html").write_text(f"""<!doctype html>
<title>eager host</title>
<iframe id="viewer" src="http://127.0.0.1:{viewer.port}/?embed=1" style="width: 100%; height: 700px; border: 0"></iframe>
<script>
  const payload = fetch("claimed.json").then(r => r.json());
  addEventListener("message", async event => {{
    if (event.data && event.data.type === "READY") {{
      event.source.postMessage({{type: "UPDATE_TRACE", traceData: await payload}}, "*");
    }}
  }});
</script>""")
    page = viewer.page
    page.goto(f"http://127.0.0.1:{viewer.port}/e2e/eager-host.html")
    frame = page.frame_locator("#viewer")
    expect(frame.locator(".trace-header")).to_contain_text(seeded.trace_ids[0])
    page.wait_for_timeout(1500)  # the default source has long resolved
    expect(frame.locator(".trace-header")).to_contain_text(seeded.trace_ids[0])
    expect(frame.get_by_role("button", name="Add tag")).to_have_count(0)
    expect(frame.locator(".add-assessment")).to_have_count(0)
    frame.locator(".back-link").click()
    expect(frame.locator(".trace-row")).to_have_count(1)
    expect(frame.get_by_role("button", name="Delete")).to_have_count(0)


class HostileFiles:
    """A host on another port serving hostile but well-formed files (CORS allowed): a small gzip answer that
    unpacks to 300 MB, and a trace file with Python's NaN and a lone surrogate."""

    def __init__(self):
        import http.server
        import threading
        import zlib

        from mlflow_server import free_port

        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
        chunk = b" " * (1 << 20)
        bomb = b"".join(packer.compress(chunk) for _ in range(300)) + packer.flush()
        trace = json.loads((ROOT / "demo" / "traces.json").read_text())[0]
        trace["data"]["spans"][0]["name"] = "LONE_SURROGATE"
        text = json.dumps(trace).replace('"LONE_SURROGATE"', '"half \\udc80 surrogate"').replace('"data"', '"score": NaN, "data"', 1)
        files = {"/bomb.json": (bomb, "gzip"), "/python.json": (text.encode(), None)}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body, encoding = files.get(self.path.split("?")[0], (b"{}", None))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Access-Control-Allow-Origin", "*")
                if encoding:
                    self.send_header("Content-Encoding", encoding)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def hostile_files():
    files = HostileFiles()
    yield files
    files.server.shutdown()


def test_a_compressed_answer_that_unpacks_to_hundreds_of_megabytes_is_stopped(viewer, hostile_files):
    page = viewer.open(traces=hostile_files.url("/bomb.json"))
    expect(page.locator(".error-panel")).to_contain_text("over 256.0 MB once unpacked", timeout=60_000)
    # The page still answers.
    viewer.open(traces="demo/traces.json")
    expect(page.locator(".trace-row").first).to_be_visible()


def test_python_json_with_nan_and_a_lone_surrogate_is_read(viewer, hostile_files):
    page = viewer.open(traces=hostile_files.url("/python.json"))
    expect(page.locator(".trace-row")).to_have_count(1)
    page.locator(".trace-row .open-trace").first.click()
    expect(page.locator(".span-row").first).to_contain_text("half \ufffd surrogate")
    assert not viewer.console_errors


def test_a_refused_tag_write_rolls_back_only_that_tag_and_a_removal_can_be_undone(viewer, seeded):
    import mlflow

    from test_table_writes import fresh_experiment

    experiment_id, ids = fresh_experiment(seeded, "e2e-tag-integrity", traces=2)
    client = mlflow.MlflowClient(seeded.url)
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=ids[0])
    tags = page.get_by_label("Tags")

    def add(key: str, value: str):
        tags.get_by_label("New tag key").fill(key)
        tags.get_by_label("New tag value").fill(value)
        tags.get_by_role("button", name="Add tag").click()

    add("kept", "1")
    expect(tags.locator(".tag[data-tag-key=kept]")).to_be_visible()
    expect(tags.get_by_label("New tag key")).to_have_value("")  # cleared once the server took it
    # A key the server refuses (over MLflow's 250 characters): that tag goes, the saved one stays.
    add("k" * 300, "x")
    expect(tags.get_by_role("alert")).to_contain_text("was not changed")
    expect(tags.locator(".tag[data-tag-key=kept]")).to_be_visible()
    assert client.get_trace(ids[0]).info.tags.get("kept") == "1"
    # A removal is confirmed by the server, and Undo puts the tag back there too.
    tags.get_by_role("button", name="Remove kept").click()
    expect(tags.locator(".tag[data-tag-key=kept]")).to_have_count(0)
    tags.get_by_role("button", name="Undo").click()
    expect(tags.locator(".tag[data-tag-key=kept]")).to_be_visible()
    from conftest import eventually
    eventually(lambda: client.get_trace(ids[0]).info.tags.get("kept") == "1")


def test_editing_only_a_rationale_keeps_the_value_and_its_type(viewer, seeded):
    import mlflow
    from mlflow.entities import AssessmentSource

    from conftest import eventually
    from test_table_writes import fresh_experiment

    experiment_id, ids = fresh_experiment(seeded, "e2e-assessment-integrity", traces=1)
    mlflow.set_tracking_uri(seeded.url)
    mlflow.log_feedback(trace_id=ids[0], name="stars", value="4", rationale="first look",
                        source=AssessmentSource(source_type="HUMAN", source_id="qa@example.com"))
    page = viewer.open(server=seeded.url, experiment_id=experiment_id, trace_id=ids[0])
    panel = page.get_by_label("Selected span")
    panel.get_by_role("tab", name="Assessments").click()
    card = panel.locator(".assessment[data-assessment-name=stars]")
    card.get_by_role("button", name="Edit").click()
    card.get_by_label("Rationale").fill("second look")
    card.get_by_role("button", name="Save").click()
    client = mlflow.MlflowClient(seeded.url)

    def stars():
        return next(a for a in client.get_trace(ids[0]).info.assessments if a.name == "stars" and a.valid is not False)

    eventually(lambda: stars().rationale == "second look")
    assert stars().value == "4" and isinstance(stars().value, str), "the string \"4\" is not made a number"


def test_media_that_declares_a_pdf_is_previewed_only_when_its_bytes_are_one(viewer, served_files):
    """A document part that says `application/pdf` but holds a page of HTML (its data URL says text/html) is
    offered as a download only; a real PDF is previewed from a typed object URL, never from a data: URL."""
    import base64

    trace = json.loads((ROOT / "demo" / "traces.json").read_text())[0]
    span = trace["data"]["spans"][1]
    html_page = "data:text/html;base64," + base64.b64encode(b"<script>parent.document.title='owned'</script>").decode()
    real_pdf = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").decode()
    messages = [{"role": "user", "content": [
        {"type": "document", "source": {"type": "url", "media_type": "application/pdf", "url": html_page}},
        {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": real_pdf}},
    ]}]
    span["attributes"].update({"mlflow.spanType": '"CHAT_MODEL"', "mlflow.spanInputs": json.dumps({"messages": messages})})
    (served_files / "mime.json").write_text(json.dumps(trace))
    page = viewer.open(traces="e2e/mime.json", trace_id=trace["info"]["trace_id"], span_id=base64.b64decode(span["span_id"]).hex())
    documents = page.locator(".chat .media[data-kind=document]")
    expect(documents).to_have_count(2)
    expect(documents.nth(0).locator("iframe")).to_have_count(0)
    expect(documents.nth(0).locator(".media-download")).to_have_attribute("download", "document.bin")
    expect(documents.nth(1).locator("iframe")).to_have_attribute("src", re.compile(r"^blob:"))
    expect(documents.nth(1).locator(".media-download")).to_have_attribute("download", "document.pdf")
    assert page.title() != "owned"
