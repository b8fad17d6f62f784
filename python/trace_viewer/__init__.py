"""Show traces in a Jupyter notebook with trace-viewer.

    import trace_viewer
    trace_viewer.show(mlflow.search_traces(return_type="list"))        # self-contained: no server needed later
    trace_viewer.show(trace_ids=["tr-…"], server="http://127.0.0.1:5000",
                      viewer_url="http://127.0.0.1:8080/")             # a hosted viewer reading the server
    trace_viewer.save_html(traces, "traces.html")                      # one file that opens from disk
    trace_viewer.enable_notebook_display()   # every cell's traces in this viewer instead of MLflow's (notebook.py)

Self-contained output holds the whole viewer and the traces, gzipped (about 900 KB plus the traces), so a saved
notebook still shows them when reopened without a tracking server; a plain-HTML summary beside the frame stays
where iframes are stripped. It is built from `standalone.html` of a
viewer build: the one inside the installed wheel, a checkout's `dist/`, or the folder in `TRACE_VIEWER_DIST`.

`trace-viewer serve` (the `serve` module) serves the viewer against a tracking server on one origin.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import math
import os
from pathlib import Path
from urllib.parse import urlencode

from .summary import summary_html

__all__ = ["show", "standalone_html", "save_html", "viewer_folder", "enable_notebook_display", "disable_notebook_display"]

PLACEHOLDER = "__TRACE_VIEWER_DATA__"
# The one key of what a page holds in place of the placeholder: the traces' JSON text, gzipped, in base64.
PACKED_KEY = "gzip_base64"


def viewer_folder() -> Path:
    """The built viewer: `TRACE_VIEWER_DIST` when set, else the one inside the package (an installed wheel),
    else a checkout's dist/ (after `trunk build --release`)."""
    here = Path(__file__).resolve().parent
    for folder in (os.environ.get("TRACE_VIEWER_DIST"), here / "viewer", here.parents[1] / "dist"):
        if folder and (Path(folder) / "standalone.html").exists():
            return Path(folder)
    raise FileNotFoundError("no built viewer found: install the trace-viewer wheel, build it (trunk build --release), "
                            "or set TRACE_VIEWER_DIST to a viewer build's folder")


def _template() -> str:
    return (viewer_folder() / "standalone.html").read_text(encoding="utf-8")


def _trace_dicts(traces):
    """Trace objects, dicts in Trace.to_json() form, or JSON text (one trace or a list) as strict JSON values:
    a list of traces, or what the JSON text holds."""
    if isinstance(traces, bytes):
        traces = traces.decode("utf-8")
    if isinstance(traces, str):
        return _strict(json.loads(traces))  # refuse what is not JSON here rather than in the page
    if not isinstance(traces, (list, tuple)):
        traces = [traces]
    return [_strict(json.loads(t.to_json()) if hasattr(t, "to_json") else t) for t in traces]


def _strict(value):
    """`value` as strict JSON holds it: NaN and infinities (which Python's json writes as words JSON does not
    have) become None, and lone surrogates (from undecodable text) become U+FFFD."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_strict(key): _strict(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(item) for item in value]
    return value


def standalone_html(traces) -> str:
    """The viewer and the traces as one HTML page; the traces gzipped (the page unpacks them before it starts)."""
    text = json.dumps(_trace_dicts(traces), allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    packed = base64.b64encode(gzip.compress(text.encode("utf-8"), 6, mtime=0)).decode("ascii")
    return _template().replace(PLACEHOLDER, json.dumps({PACKED_KEY: packed}), 1)


def save_html(traces, path) -> Path:
    """Writes the viewer and the traces to one HTML file that opens from disk, with no server."""
    path = Path(path)
    path.write_text(standalone_html(traces), encoding="utf-8")
    return path


def _frame(attributes: str, height: int) -> str:
    return f'<iframe {attributes} style="width: 100%; height: {int(height)}px; border: 0"></iframe>'


class _Output:
    """Notebook output (Jupyter shows `_repr_html_`)."""

    def __init__(self, html_text: str):
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html


def show(traces=None, *, trace_ids=None, server: str | None = None, viewer_url: str | None = None, height: int = 600):
    """Shows traces in a notebook: `traces` self-contained (Trace objects, dicts or JSON), or `trace_ids` read
    from the tracking server `server` by the viewer hosted at `viewer_url` (or `TRACE_VIEWER_URL`)."""
    if trace_ids:
        viewer_url = viewer_url or os.environ.get("TRACE_VIEWER_URL")
        if not viewer_url or not server:
            raise ValueError("showing traces by id needs the tracking server (server=) and where the viewer is hosted "
                             "(viewer_url= or TRACE_VIEWER_URL)")
        query = urlencode([("server", server), *(("trace_id", trace_id) for trace_id in trace_ids), ("embed", "1")])
        return _Output(_frame(f'src="{html.escape(viewer_url + "?" + query)}"', height))
    if traces is None:
        raise ValueError("give traces (Trace objects, dicts or JSON), or trace_ids with server=")
    return _Output(_self_contained_html(traces, height=height))


def _self_contained_html(traces, *, total: int | None = None, height: int = 600) -> str:
    """The viewer holding `traces` in a sandboxed frame, and the plain-HTML summary beside it (`total`: how many
    traces there were, when only some are shown)."""
    dicts = _trace_dicts(traces)
    # Sandboxed: the viewer's scripts run, but not as the notebook's origin (no access to its page, cookies
    # or kernel); downloads and links opened in a new tab still work.
    sandbox = "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox"
    frame = _frame(f'srcdoc="{html.escape(standalone_html(dicts), quote=True)}" sandbox="{sandbox}"', height)
    count = len(dicts) if isinstance(dicts, list) else 1
    held = f"This output holds the full data of {count} trace{'s' if count != 1 else ''} (inputs, outputs and every span): it is saved with the notebook."
    return f'<div>{frame}{summary_html(dicts, total=total or count)}<p class="trace-viewer-note">{held}</p></div>'


def _summary_only_html(traces, note: str) -> str:
    """The plain-HTML summary of `traces` alone, with `note` saying why: no trace's data is in the output."""
    dicts = _trace_dicts(traces)
    count = len(dicts) if isinstance(dicts, list) else 1
    return f'<div>{summary_html(dicts, total=count)}<p class="trace-viewer-note">{html.escape(note)}</p></div>'

from .notebook import disable_notebook_display, enable_notebook_display  # noqa: E402 (it uses show() above)
