"""The plain-HTML summary beside a self-contained viewer: what a renderer that strips iframes (GitHub, a
notebook Jupyter does not trust) still shows of the traces."""

from __future__ import annotations

import html
import json


def summary_html(traces, total: int) -> str:
    """A table of each trace's id, name, state, duration and tokens (traces in Trace.to_json() form)."""
    traces = [trace for trace in (traces if isinstance(traces, list) else [traces]) if isinstance(trace, dict)]
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in _row(trace)) + "</tr>" for trace in traces
    )
    shown = f"{len(traces)} of {total}" if total > len(traces) else f"{len(traces)}"
    caption = f"{shown} trace{'s' if total != 1 else ''} in trace-viewer"
    head = "".join(f"<th>{name}</th>" for name in ("Trace", "Name", "State", "Duration", "Tokens"))
    return f'<table class="trace-viewer-summary"><caption>{html.escape(caption)}</caption><tr>{head}</tr>{rows}</table>'


def trace_id(trace) -> str | None:
    """The id of a `Trace` or of a trace in to_json() form (v3 `trace_id`, v2 `request_id`)."""
    info = trace.info if hasattr(trace, "info") else (trace.get("info") if isinstance(trace, dict) else None)
    if isinstance(info, dict):
        return info.get("trace_id") or info.get("request_id")
    return getattr(info, "trace_id", None) or getattr(info, "request_id", None)


def _row(trace: dict) -> list[str]:
    info = trace.get("info") or {}
    tags = info.get("tags") or {}
    metadata = info.get("trace_metadata") or info.get("request_metadata") or {}
    spans = (trace.get("data") or {}).get("spans") or []
    root = next((span for span in spans if isinstance(span, dict) and not span.get("parent_span_id")), {})
    name = tags.get("mlflow.traceName") or root.get("name") or ""
    state = info.get("state") or info.get("status") or ""
    duration = info.get("execution_duration_ms", info.get("execution_time_ms"))
    return [str(trace_id(trace) or ""), str(name), str(state), _duration_text(duration), _tokens_text(metadata)]


def _duration_text(milliseconds) -> str:
    if not isinstance(milliseconds, (int, float)) or isinstance(milliseconds, bool):
        return "—"
    return f"{milliseconds:,.0f} ms" if milliseconds < 1000 else f"{milliseconds / 1000:,.2f} s"


def _tokens_text(metadata: dict) -> str:
    try:
        total = json.loads(metadata.get("mlflow.trace.tokenUsage") or "{}").get("total_tokens")
    except (ValueError, AttributeError, TypeError):
        total = None
    return f"{total:,}" if isinstance(total, int) and not isinstance(total, bool) else "—"
