"""End-to-end harness: a real MLflow server seeded through the SDK, the release build served statically,
and headless Chromium driven by Playwright (Debian's Chromium; Playwright never downloads a browser).

Adding a flow: write a test taking the `viewer` fixture (and `seeded` when it needs the server), open a
view with `viewer.open(...)` using the app's public URL parameters, and assert on what the page shows. A
screenshot of every test's last state lands in tests/e2e/artifacts/.
"""

import functools
import os
import shutil
import subprocess
import http.server
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from demo.seed import seed  # noqa: E402
from mlflow_server import MlflowServer, free_port  # noqa: E402

# The release build the tests serve: scripts/test.sh builds one of their own (TRACE_VIEWER_DIST), so a
# `scripts/serve.sh` rebuilding dist/ meanwhile changes nothing under them.
DIST = Path(os.environ.get("TRACE_VIEWER_DIST") or ROOT / "dist")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# A second name for the loopback address: a page served from it has an origin MLflow does not allow.
FOREIGN_HOST = "viewer.test"
# A site whose every host is the loopback address: viewer.<SITE> and mlflow.<SITE> are two origins of one site.
SITE = "traces.test"
SEEDED_TRACES = 24


@dataclass
class Seeded:
    url: str
    experiment_id: str
    trace_ids: list[str]


@pytest.fixture(scope="session")
def seeded() -> Seeded:
    """A live MLflow server holding the demo scenarios, logged through the Python SDK."""
    with MlflowServer() as server:
        experiment_id = seed(server.url, traces=SEEDED_TRACES, days=3)
        import mlflow

        traces = mlflow.search_traces(locations=[experiment_id], return_type="list", max_results=1000)
        yield Seeded(server.url, experiment_id, [trace.info.trace_id for trace in traces])


@pytest.fixture(scope="session")
def seeded_file(seeded, served_files):
    """The seeded traces exported with the SDK into a file the static server serves."""
    from demo.seed import export

    export(seeded.url, seeded.experiment_id, str(served_files / "seeded.json"))
    return "e2e/seeded.json"


def eventually(check, timeout: float = 10.0):
    """Polls the server until `check()` holds (the UI shows success only after the server answered)."""
    deadline = time.time() + timeout
    while not check():
        assert time.time() < deadline, "the server never reflected the change"
        time.sleep(0.2)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def static_port() -> int:
    """Serves the release build (DIST) the way any static host would."""
    if not (DIST / "index.html").exists():
        pytest.exit(f"{DIST}/index.html is missing: run `trunk build --release` first (scripts/test.sh does)", 2)
    port = free_port()
    handler = functools.partial(QuietHandler, directory=str(DIST))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield port
    server.shutdown()


@pytest.fixture(scope="session")
def served_files() -> Path:
    """A folder in the tests' build (DIST) for files the tests serve beside the viewer; removed at the end."""
    folder = DIST / "e2e"
    folder.mkdir(exist_ok=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  f"--host-resolver-rules=MAP {FOREIGN_HOST} 127.0.0.1, MAP *.{SITE} 127.0.0.1"],
        )
        yield browser
        browser.close()


class Viewer:
    """The viewer in one browser page."""

    def __init__(self, page: Page, port: int):
        self.page = page
        self.port = port
        self.console_errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and not self.is_default_probe(message)
                and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def is_default_probe(self, message) -> bool:
        """A 404 the viewer expects on a plain static host: no config.json, no tracking server at its origin."""
        url = (message.location or {}).get("url", "")
        return url.endswith("/config.json") or f":{self.port}/api/" in url

    def url(self, host: str = "127.0.0.1", **params) -> str:
        pairs = [(key, item) for key, value in params.items() for item in (value if isinstance(value, list) else [value])]
        query = f"?{urlencode(pairs)}" if pairs else ""
        return f"http://{host}:{self.port}/{query}"

    def open(self, host: str = "127.0.0.1", **params) -> Page:
        """Opens the viewer with the app's URL parameters (traces, server, experiment_id, trace_id)."""
        self.page.goto(self.url(host, **params))
        return self.page

    def rows(self):
        """Rows in the DOM (windowed: at most about a hundred, whatever is loaded)."""
        return self.page.locator(".trace-row")

    def row_count(self) -> int:
        """How many rows the table holds (loaded and matching), as it tells assistive technology."""
        return int(self.page.locator("[role=table]").get_attribute("aria-rowcount"))

    def wait_for_rows(self, count: int) -> None:
        expect(self.page.locator("[role=table]")).to_have_attribute("aria-rowcount", str(count))

    def listed_ids(self) -> list[str]:
        return self.page.locator(".trace-row").evaluate_all("rows => rows.map(r => r.dataset.traceId)")


@pytest.fixture
def viewer(browser, static_port, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    viewer = Viewer(page, static_port)
    yield viewer
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> str:
    """`trace-viewer` from the wheel, installed into a new virtual environment."""
    build = subprocess.run(["scripts/build_wheel.sh"], cwd=ROOT, env={**os.environ, "TRACE_VIEWER_DIST": str(DIST)},
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    [wheel] = (ROOT / "target" / "wheel").glob("trace_viewer-*-py3-none-any.whl")
    assert wheel.stat().st_size <= 2 * 1024 * 1024, f"the wheel is {wheel.stat().st_size} bytes"
    venv = tmp_path_factory.mktemp("wheel-venv")
    subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(wheel)], check=True)
    return str(venv / "bin" / "trace-viewer")
