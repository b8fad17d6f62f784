"""trace_viewer.enable_notebook_display() in a real notebook (nbclient) against a real MLflow server: the traces a
cell logs, finds or returns show in this viewer, self-contained, and the saved notebook still shows them (and
its plain-HTML summary) with the server gone."""

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from playwright.sync_api import expect

from mlflow_server import MlflowServer

SPANS_PER_TRACE = 100
TOKENS_PER_CALL = 15  # each child span is an LLM call of 10 + 5 tokens

SETUP = f"""
import mlflow, trace_viewer

@mlflow.trace(name="agent")
def agent(question):
    for step in range({SPANS_PER_TRACE - 1}):
        with mlflow.start_span(name=f"llm_{{step}}", span_type="LLM") as span:
            span.set_inputs({{"messages": [{{"role": "user", "content": f"{{question}}: step {{step}} " + "context " * 20}}]}})
            span.set_outputs({{"choices": [{{"message": {{"role": "assistant", "content": f"answer {{step}}"}}}}]}})
            span.set_attribute("mlflow.chat.tokenUsage", {{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}})
    return f"done: {{question}}"
"""


def html_outputs(cell) -> list[str]:
    return [output["data"]["text/html"] for output in cell.outputs if "text/html" in output.get("data", {})]


def viewer_outputs(cell) -> list[str]:
    return [page for page in html_outputs(cell) if "trace-viewer-summary" in page]


def test_enable_notebook_display_shows_each_cells_traces_and_survives_saving(viewer, tmp_path):
    with MlflowServer() as server:
        cells = [
            f'{SETUP}\nmlflow.set_tracking_uri("{server.url}")\nmlflow.set_experiment("notebook display")\n'
            "assert trace_viewer.enable_notebook_display()",
            "for i in range(10):\n    agent(f'question {i}')",
            "mlflow.flush_trace_async_logging()\nmlflow.search_traces(max_results=3)",
            "mlflow.get_trace(mlflow.get_last_active_trace_id())",
            "assert trace_viewer.enable_notebook_display(embed_search_results=True)\nmlflow.search_traces(max_results=2)",
            "trace_viewer.disable_notebook_display()\nagent('after disabling')",
        ]
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
        NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
        saved = tmp_path / "traces.ipynb"
        nbformat.write(notebook, saved)
    # Reopened from disk, with the tracking server stopped.
    notebook = nbformat.read(saved, as_version=4)
    logged, searched, returned, embedded, after = notebook.cells[1:]

    # The cell that logged ten traces shows one viewer holding them, no MLflow iframe, and stays small.
    [ten] = viewer_outputs(logged)
    assert "notebook-trace-renderer" not in "".join(html_outputs(logged))
    print(f"ten {SPANS_PER_TRACE}-span traces in one output: {len(ten.encode()) / 1e6:.2f} MB")
    assert len(ten.encode()) < 1.5e6
    assert "This output holds the full data of 10 traces" in ten
    # search_traces() shows what it found (beside the DataFrame it returns) as a summary only: a search may find
    # traces the author never meant to publish, and their data would be saved unseen.
    [three] = viewer_outputs(searched)
    assert "3 traces in trace-viewer" in three
    assert "<iframe" not in three and "gzip_base64" not in three
    assert "their data is not saved in this notebook" in three
    # Asked for, the search results are in the viewer, and the output says how many traces' data it holds.
    [two] = viewer_outputs(embedded)
    assert "<iframe" in two and "This output holds the full data of 2 traces" in two
    # A Trace a cell returns is shown once, where the value goes.
    assert len(viewer_outputs(returned)) == 1
    # After disable_notebook_display(), MLflow's own display is back.
    assert not viewer_outputs(after)
    assert any("notebook-trace-renderer" in page for page in html_outputs(after))

    page = viewer.page
    output_file = tmp_path / "output.html"
    output_file.write_text(f"<!doctype html><title>saved notebook output</title>{ten}")
    page.goto(output_file.as_uri())
    frame = page.frame_locator("iframe")
    expect(frame.locator("[role=table]")).to_have_attribute("aria-rowcount", "10")
    frame.locator(".trace-row").first.locator(".open-trace").first.click()
    expect(frame.locator(".trace-header h1")).to_contain_text("agent")
    expect(frame.locator(".span-row").first).to_be_visible()
    assert frame.locator("body").evaluate("() => window.origin") == "null"

    # Where iframes are stripped, the summary still names each trace with its state, duration and tokens.
    stripped = tmp_path / "stripped.html"
    stripped.write_text("<!doctype html><title>stripped</title>" + re.sub(r"<iframe[^>]*></iframe>", "", ten))
    page.goto(stripped.as_uri())
    table = page.locator("table.trace-viewer-summary")
    expect(table.locator("caption")).to_have_text("10 traces in trace-viewer")
    expect(table.locator("tr")).to_have_count(11)
    first = table.locator("tr").nth(1).locator("td")
    expect(first.nth(1)).to_have_text("agent")
    expect(first.nth(2)).to_have_text("OK")
    expect(first.nth(3)).to_have_text(re.compile(r"^[\d,.]+ (ms|s)$"))
    expect(first.nth(4)).to_have_text(f"{(SPANS_PER_TRACE - 1) * TOKENS_PER_CALL:,}")
    assert not viewer.console_errors, viewer.console_errors


def test_damaged_packed_traces_say_so(viewer, tmp_path):
    """A saved output cut short or edited by hand: a clear message, not a blank frame."""
    import trace_viewer

    demo = next((Path(trace_viewer.viewer_folder()) / "demo").glob("*.json"))
    page_text = trace_viewer.standalone_html(demo.read_text())
    packed = re.search(r'\{"gzip_base64": "([A-Za-z0-9+/=]+)"\}', page_text)
    damaged = page_text.replace(packed.group(1), packed.group(1)[: len(packed.group(1)) // 2], 1)
    file = tmp_path / "damaged.html"
    file.write_text(damaged)
    viewer.page.goto(file.as_uri())
    expect(viewer.page.get_by_text("compressed and cannot be unpacked")).to_be_visible()


def test_the_summary_escapes_what_traces_hold_and_says_how_many_were_left_out():
    from trace_viewer.summary import summary_html

    hostile = {"info": {"trace_id": "tr-1", "state": "ERROR", "execution_duration_ms": 2500,
                        "tags": {"mlflow.traceName": "<img src=x onerror=alert(1)>"},
                        "trace_metadata": {"mlflow.trace.tokenUsage": "not json"}}}
    table = summary_html([hostile], total=12)
    assert "<img" not in table and "&lt;img src=x onerror=alert(1)&gt;" in table
    assert "<caption>1 of 12 traces in trace-viewer</caption>" in table
    assert "<td>2.50 s</td>" in table and "<td>—</td>" in table, "unreadable token usage reads as none"


def test_packed_traces_that_unpack_past_the_limit_are_refused_with_the_reason(viewer, tmp_path):
    """A small page whose traces unpack into gigabytes (a gzip bomb) is stopped at 256 MB, not the tab."""
    import base64
    import zlib

    import trace_viewer

    demo = next((Path(trace_viewer.viewer_folder()) / "demo").glob("*.json"))
    page_text = trace_viewer.standalone_html(demo.read_text())
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    zeros = b"\0" * 10_000_000
    bomb = b"".join(packer.compress(zeros) for _ in range(30)) + packer.flush()  # 300 MB of zeros
    assert len(bomb) < 1_000_000
    packed = re.search(r'\{"gzip_base64": "([A-Za-z0-9+/=]+)"\}', page_text)
    file = tmp_path / "bomb.html"
    file.write_text(page_text.replace(packed.group(1), base64.b64encode(bomb).decode(), 1))
    viewer.page.goto(file.as_uri())
    expect(viewer.page.get_by_text("over 256 MB once unpacked")).to_be_visible(timeout=60_000)
