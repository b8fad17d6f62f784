"""Notebook display in this viewer instead of MLflow's.

    import trace_viewer
    trace_viewer.enable_notebook_display()    # and trace_viewer.disable_notebook_display() to go back
    trace_viewer.enable_notebook_display(embed_search_results=True)   # search results in the viewer too

From then on, a cell that logs traces, fetches one with `mlflow.get_trace()` or ends with a `Trace` shows them
below it in this viewer, self-contained: the viewer and the traces (compressed) are in the cell's output, so a
saved notebook still shows them with no tracking server, and the output says how many traces' data it holds.
Beside the frame a plain-HTML summary (name, state, duration, tokens) stays readable where iframes are
stripped (GitHub, a notebook Jupyter does not trust).

What `mlflow.search_traces()` finds is shown as that summary only, unless `embed_search_results=True`: a
search can find traces the notebook's author never meant to publish, and a saved notebook would carry their
whole data, unseen in GitHub's preview.

MLflow has no public hook for this. Three of its entry points are taken over while the display is on and given
back by `disable_notebook_display()`: its display handler's `display_traces` (which its trace exporter and
`get_trace` call), `mlflow.search_traces`, and IPython's HTML formatter for `Trace` (which outranks the
iframe of `Trace._repr_mimebundle_`). MLflow's own display is switched off meanwhile.
"""

from __future__ import annotations

import functools
import json

from . import _self_contained_html, _summary_only_html
from .summary import trace_id

# Taken-over MLflow entry points and the cell state while the display is on; None while it is off.
_active: "_Display | None" = None


def enable_notebook_display(embed_search_results: bool = False) -> bool:
    """Shows the traces each cell makes, finds or returns in this viewer; those `mlflow.search_traces()` finds
    only as a summary table unless `embed_search_results`. False outside IPython (nothing to do). Called again,
    it changes `embed_search_results`."""
    global _active
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ipython = get_ipython()
    if ipython is None:
        return False
    if _active is None:
        _active = _Display(ipython)
        _active.take_over()
    _active.embed_search_results = embed_search_results
    return True


def disable_notebook_display() -> None:
    """Gives the notebook display back to MLflow, as it was before `enable_notebook_display()`."""
    global _active
    if _active is not None:
        _active.give_back()
        _active = None


def _max_traces() -> int:
    """MLflow's own limit of traces shown below one cell (MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK)."""
    from mlflow.environment_variables import MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK

    return MLFLOW_MAX_TRACES_TO_DISPLAY_IN_NOTEBOOK.get()


class _Display:
    def __init__(self, ipython):
        self.ipython = ipython
        # Traces the running cell made (or fetched), and those it found by searching, by trace id, in order;
        # and those it already showed itself.
        self.pending: dict[str, object] = {}
        self.found: dict[str, object] = {}
        self.shown: set[str] = set()
        self.embed_search_results = False

    def take_over(self):
        import mlflow
        from mlflow.entities import Trace
        from mlflow.tracing.display.display_handler import IPythonTraceDisplayHandler

        self.handler = IPythonTraceDisplayHandler
        self.mlflow_disabled = IPythonTraceDisplayHandler.disabled
        self.mlflow_display_traces = IPythonTraceDisplayHandler.__dict__["display_traces"]
        self.mlflow_search_traces = mlflow.search_traces
        IPythonTraceDisplayHandler.disabled = True
        IPythonTraceDisplayHandler.display_traces = lambda _handler, traces: self.collect(traces)

        @functools.wraps(self.mlflow_search_traces)
        def search_traces(*args, **kwargs):
            found = self.mlflow_search_traces(*args, **kwargs)
            self.collect(_found_traces(found), into=self.found)
            return found

        mlflow.search_traces = search_traces
        self.trace_type = Trace
        self.ipython.display_formatter.formatters["text/html"].for_type(Trace, self.trace_html)
        self.ipython.events.register("post_run_cell", self.after_cell)

    def give_back(self):
        import mlflow

        self.ipython.events.unregister("post_run_cell", self.after_cell)
        self.ipython.display_formatter.formatters["text/html"].pop(self.trace_type, None)
        mlflow.search_traces = self.mlflow_search_traces
        self.handler.display_traces = self.mlflow_display_traces
        self.handler.disabled = self.mlflow_disabled

    def collect(self, traces, into: dict | None = None):
        into = self.pending if into is None else into
        for trace in traces:
            found_id = trace_id(trace)
            if found_id:
                into[found_id] = trace

    def trace_html(self, trace) -> str:
        """A `Trace` a cell returns: shown by IPython where the cell's value goes, and not again after it."""
        self.shown.add(trace_id(trace))
        return output_html([trace])

    def after_cell(self, _result=None):
        # MLflow may export spans from a background thread: traces the cell ended are only handed over (to
        # `collect`) once that queue is drained.
        import mlflow

        try:
            mlflow.flush_trace_async_logging()
        except Exception:  # a tracking server that is down: what was handed over is still shown
            pass
        made = [trace for found_id, trace in self.pending.items() if found_id not in self.shown]
        found = [trace for found_id, trace in self.found.items() if found_id not in self.shown and found_id not in self.pending]
        self.pending, self.found, self.shown = {}, {}, set()
        from IPython.display import HTML, display

        if self.embed_search_results:
            made, found = made + found, []
        if made:
            display(HTML(output_html(made)))
        if found:
            display(HTML(_summary_only_html(found, "Found by mlflow.search_traces(); their data is not saved in this notebook. "
                                                   "trace_viewer.enable_notebook_display(embed_search_results=True) shows "
                                                   "search results in the viewer.")))


def _found_traces(found) -> list:
    """The traces `mlflow.search_traces` returned: a list of `Trace`, or a DataFrame whose `trace` column holds
    each as JSON text."""
    if isinstance(found, list):
        return found
    column = getattr(found, "get", lambda _name: None)("trace")
    if column is None:
        return []
    return [json.loads(text) for text in column if isinstance(text, str)]


def output_html(traces: list) -> str:
    """One output: the viewer with at most MLflow's limit of traces, and a plain-HTML summary beside it."""
    return _self_contained_html(traces[: _max_traces()], total=len(traces))
