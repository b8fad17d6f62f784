"""Deployment: the release build behind a real nginx (deploy/nginx.conf) next to the real MLflow server, under a
sub-path; a config.json naming the server; MLflow's own notebook display, run in a real notebook by nbclient,
pointed at the viewer."""

import contextlib
import html
import os
import re
import socket
import subprocess
import time

import pytest
from playwright.sync_api import expect

from conftest import DIST, ROOT
from mlflow_server import free_port


@contextlib.contextmanager
def running_nginx(mlflow_url: str, state, extra_locations: str = ""):
    """deploy/nginx.conf as it ships, in front of the MLflow at `mlflow_url`, with `extra_locations` added
    to its server; yields nginx's base URL."""
    port = free_port()
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    for placeholder, value in {"@PORT@": str(port), "@DIST@": str(DIST), "@MLFLOW@": mlflow_url.split("://", 1)[1],
                               "@STATE@": str(state)}.items():
        config = config.replace(placeholder, value)
    config = config.replace("location /api/ {", f"{extra_locations}\n        location /api/ {{", 1)
    if os.geteuid() == 0:
        # Started by root, nginx's workers become `nobody`, who cannot read a checkout in a private folder
        # (a `mktemp -d` clone is 0700): keep them as the user running the tests.
        config = "user root;\n" + config
    (state / "nginx.conf").write_text(config)
    process = subprocess.Popen(["/usr/sbin/nginx", "-p", str(state), "-c", str(state / "nginx.conf")])
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, (state / "error.log").read_text() if (state / "error.log").exists() else "nginx exited"
            assert time.time() < deadline, "nginx did not start"
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx(seeded, tmp_path_factory) -> str:
    """nginx serving the build under /trace-viewer/ and MLflow's renderer path, proxying the API to MLflow."""
    # A second sub-path whose config.json names the experiment, so the viewer opens straight on its traces.
    configured = f"""location = /configured/config.json {{
            default_type application/json;
            return 200 '{{"server": "", "experiment_ids": ["{seeded.experiment_id}"]}}';
        }}
        location /configured/ {{ alias {DIST}/; }}
        location = /misconfigured/config.json {{
            default_type application/json;
            return 200 '{{"server": 5, "experiment_ids": ["{seeded.experiment_id}"]}}';
        }}
        location /misconfigured/ {{ alias {DIST}/; }}"""
    with running_nginx(seeded.url, tmp_path_factory.mktemp("nginx"), configured) as url:
        yield url


def test_behind_nginx_under_a_sub_path_it_finds_the_server_at_its_origin(viewer, seeded, nginx):
    page = viewer.page
    page.goto(f"{nginx}/trace-viewer/")
    # No parameters: the tracking server behind the same origin is found, and its experiments offered.
    page.get_by_role("button", name="demo-agent", exact=True).click()
    viewer.wait_for_rows(len(seeded.trace_ids))
    assert page.url.startswith(f"{nginx}/trace-viewer/?server=")
    viewer.rows().first.locator(".open-trace").first.click()
    expect(page.locator(".trace-header h1")).to_be_visible()
    expect(page.locator(".span-row").first).to_be_visible()
    assert not viewer.console_errors, viewer.console_errors


def test_behind_nginx_the_build_s_own_compressed_files_are_sent(viewer, nginx):
    page = viewer.page
    page.goto(f"{nginx}/trace-viewer/?traces=demo/traces.json")
    viewer.rows().first.wait_for()
    sizes = page.evaluate("""() => Object.fromEntries(performance.getEntriesByType('resource')
        .map(entry => [entry.name.split('/').pop().split('?')[0], [entry.encodedBodySize, entry.decodedBodySize]]))""")
    for name in [path.name for path in DIST.glob("trace-viewer-*")] + ["traces.json"]:
        if name.endswith((".gz", ".br")):
            continue
        on_disk = next(DIST.rglob(name))
        # What came over the wire is the build's .gz byte for byte, which unpacks to the file itself.
        assert sizes[name] == [(on_disk.parent / f"{name}.gz").stat().st_size, on_disk.stat().st_size], name
    # The brotli copies (for hosts with brotli_static) unpack to their files too; Node's zlib reads them.
    unpacked = subprocess.run(["node", "-e", """
        const fs = require("fs"), zlib = require("zlib");
        for (const path of process.argv.slice(1))
            if (!zlib.brotliDecompressSync(fs.readFileSync(path)).equals(fs.readFileSync(path.slice(0, -3)))) console.log(path);
        """, *map(str, DIST.rglob("*.br"))], capture_output=True, text=True, check=True)
    assert unpacked.stdout == "", f"differ from their files: {unpacked.stdout}"
    assert (DIST / "index.html.br").exists()


def test_a_config_json_beside_the_page_names_the_server_and_experiment(viewer, seeded, nginx):
    page = viewer.page
    page.goto(f"{nginx}/configured/")
    viewer.wait_for_rows(len(seeded.trace_ids))
    expect(page.locator(".source-label")).to_contain_text(f"experiment {seeded.experiment_id}")
    assert not viewer.console_errors, viewer.console_errors


def test_a_config_json_that_does_not_read_is_said_not_replaced_by_the_demo(viewer, nginx):
    page = viewer.page
    page.goto(f"{nginx}/misconfigured/")
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text("The config.json beside this page cannot be read")
    expect(panel).to_contain_text("invalid type")
    expect(page.locator(".trace-row")).to_have_count(0)


def iframe_sources(cell) -> list[str]:
    pages = [output["data"]["text/html"] for output in cell.outputs if "text/html" in output.get("data", {})]
    return [html.unescape(src) for page in pages for src in re.findall(r'src="([^"]+)"', page)]


def test_mlflow_notebook_display_lands_on_the_viewer(viewer, seeded, nginx):
    import nbformat
    from nbclient import NotebookClient

    setup = f"""
import os
os.environ["MLFLOW_NOTEBOOK_TRACE_RENDERER_BASE_URL"] = "{nginx}/"
import mlflow
mlflow.set_tracking_uri("{seeded.url}")
experiment_id = mlflow.set_experiment("notebook").experiment_id

@mlflow.trace(name="notebook_add")
def add(a, b):
    return a + b
"""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(setup),
        nbformat.v4.new_code_cell("add(2, 3)"),
        nbformat.v4.new_code_cell("add(4, 5)\nadd(6, 7)"),
    ])
    NotebookClient(notebook, timeout=180, kernel_name="python3").execute()

    # A cell that made a trace shows MLflow's iframe, at the renderer path of the configured base URL.
    [one] = iframe_sources(notebook.cells[1])
    assert one.startswith(f"{nginx}/static-files/lib/notebook-trace-renderer/index.html?trace_id=tr-")
    page = viewer.page
    page.goto(one)
    expect(page.locator(".trace-header h1")).to_contain_text("notebook_add")
    expect(page.locator(".app-header")).to_be_hidden()
    expect(page.locator(".span-title")).to_have_text("notebook_add")

    # A cell that made two traces shows both, one at a time with a pager.
    [both] = iframe_sources(notebook.cells[2])
    assert both.count("trace_id=") == 2
    page.goto(both)
    pager = page.locator(".trace-pager")
    expect(pager).to_contain_text("Trace 1 of 2")
    first = page.locator(".trace-header").inner_text()
    pager.get_by_role("button", name="Next ›").click()
    expect(pager).to_contain_text("Trace 2 of 2")
    expect(page.locator(".trace-header")).not_to_have_text(first)
    expect(pager.get_by_role("button", name="Next ›")).to_be_disabled()
    assert not viewer.console_errors, viewer.console_errors


def test_standalone_html_export_opens_from_disk(viewer, tmp_path):
    """Export HTML: the selected traces and the viewer in one file that opens from disk, no server."""
    page = viewer.open()  # the demo data set
    expect(viewer.rows().first).to_be_visible()
    chosen = [viewer.rows().nth(i).get_attribute("data-trace-id") for i in (0, 1)]
    for i in (0, 1):
        viewer.rows().nth(i).locator(".select-cell input").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export HTML").click()
    saved = tmp_path / "traces.html"
    download.value.save_as(saved)
    page.goto(saved.as_uri())
    viewer.wait_for_rows(2)
    assert sorted(viewer.listed_ids()) == sorted(chosen)
    viewer.rows().first.locator(".open-trace").first.click()
    expect(page.locator(".span-row").first).to_be_visible()
    assert not viewer.console_errors, viewer.console_errors


def test_notebook_helper_output_still_shows_its_traces_with_the_server_stopped(viewer, tmp_path):
    """trace_viewer.show() in a real notebook, the output saved as HTML, opened after the server is gone."""
    import nbformat
    from nbclient import NotebookClient

    from mlflow_server import MlflowServer

    with MlflowServer() as server:
        cell = f"""
import mlflow, trace_viewer
mlflow.set_tracking_uri("{server.url}")
mlflow.tracing.disable_notebook_display()
mlflow.set_experiment("helper")

@mlflow.trace(name="helper_add")
def add(a, b):
    return a + b

add(1, 2), add(3, 4)
mlflow.flush_trace_async_logging()
trace_viewer.show(mlflow.search_traces(return_type="list"))
"""
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
        NotebookClient(notebook, timeout=180, kernel_name="python3").execute()
    outputs = [o["data"]["text/html"] for o in notebook.cells[0].outputs if "text/html" in o.get("data", {})]
    assert len(outputs) == 1 and "<iframe srcdoc=" in outputs[0] and "<td>helper_add</td>" in outputs[0]
    saved = tmp_path / "notebook-output.html"
    saved.write_text(f"<!doctype html><title>saved notebook output</title>{outputs[0]}")
    page = viewer.page
    page.goto(saved.as_uri())
    frame = page.frame_locator("iframe")
    expect(frame.locator(".trace-row")).to_have_count(2)
    frame.locator(".trace-row").first.locator(".open-trace").first.click()
    expect(frame.locator(".trace-header h1")).to_contain_text("helper_add")
    # Sandboxed: it runs its scripts, but not as the notebook's origin.
    sandbox = page.locator("iframe").get_attribute("sandbox").split()
    assert "allow-scripts" in sandbox and "allow-same-origin" not in sandbox
    assert frame.locator("body").evaluate("() => window.origin") == "null"
    assert not viewer.console_errors, viewer.console_errors


def test_notebook_helper_by_trace_ids_against_a_server(viewer, seeded):
    """trace_viewer.show(trace_ids=…): an iframe on the hosted viewer reading the tracking server."""
    import trace_viewer

    frame_html = trace_viewer.show(trace_ids=seeded.trace_ids[:2], server=seeded.url, viewer_url=viewer.url())._repr_html_()
    [src] = [html.unescape(src) for src in re.findall(r'src="([^"]+)"', frame_html)]
    page = viewer.page
    page.goto(src)
    expect(page.locator(".trace-pager")).to_contain_text("Trace 1 of 2")
    expect(page.locator(".trace-header")).to_contain_text(seeded.trace_ids[0])
    expect(page.locator(".app-header")).to_be_hidden()
    with pytest.raises(ValueError):
        trace_viewer.show(trace_ids=["tr-1"])  # no server: said at once, not as a broken frame
    assert not viewer.console_errors, viewer.console_errors
