"""Show traces in a Jupyter notebook with trace-viewer.

    import trace_viewer
    trace_viewer.show(mlflow.search_traces(return_type="list"))        # self-contained: no server needed later
    trace_viewer.show(trace_ids=["tr-…"], server="http://127.0.0.1:5000",
                      viewer_url="http://127.0.0.1:8080/")             # a hosted viewer reading the server
    trace_viewer.save_html(traces, "traces.html")                      # one file that opens from disk

Self-contained output holds the whole viewer and the traces (a few hundred KB plus the traces), so a saved
notebook still shows them when reopened without a tracking server. It is built from `standalone.html` of a
viewer build: the one inside the installed wheel, a checkout's `dist/`, or the folder in `TRACE_VIEWER_DIST`.

`trace-viewer serve` (the `serve` module) serves the viewer against a tracking server on one origin.
"""

from __future__ import annotations

import html
import json
import math
import os
from pathlib import Path
from urllib.parse import urlencode

__all__ = ["show", "standalone_html", "save_html", "viewer_folder"]

PLACEHOLDER = "__TRACE_VIEWER_DATA__"


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


def _traces_json(traces) -> str:
    """Trace objects, dicts in Trace.to_json() form, or JSON text (one trace or a list) as one JSON text."""
    if isinstance(traces, bytes):
        traces = traces.decode("utf-8")
    if isinstance(traces, str):
        json.loads(traces)  # refuse what is not JSON here rather than in the page
        return traces
    if not isinstance(traces, (list, tuple)):
        traces = [traces]
    return json.dumps(_strict([json.loads(t.to_json()) if hasattr(t, "to_json") else t for t in traces]), allow_nan=False)


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
    """The viewer and the traces as one HTML page."""
    # `<` only occurs inside JSON strings, where `\u003c` means the same: no `</script>` ends the data early.
    return _template().replace(PLACEHOLDER, _traces_json(traces).replace("<", "\\u003c"), 1)


def save_html(traces, path) -> Path:
    """Writes the viewer and the traces to one HTML file that opens from disk, with no server."""
    path = Path(path)
    path.write_text(standalone_html(traces), encoding="utf-8")
    return path


class _Frame:
    """Notebook output: an iframe (Jupyter shows `_repr_html_`)."""

    def __init__(self, attributes: str, height: int):
        self.html = f'<iframe {attributes} style="width: 100%; height: {int(height)}px; border: 0"></iframe>'

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
        return _Frame(f'src="{html.escape(viewer_url + "?" + query)}"', height)
    if traces is None:
        raise ValueError("give traces (Trace objects, dicts or JSON), or trace_ids with server=")
    # Sandboxed: the viewer's scripts run, but not as the notebook's origin (no access to its page, cookies
    # or kernel); downloads and links opened in a new tab still work.
    sandbox = "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox"
    return _Frame(f'srcdoc="{html.escape(standalone_html(traces), quote=True)}" sandbox="{sandbox}"', height)
