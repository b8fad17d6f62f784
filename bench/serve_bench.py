"""Benchmark (not a test): the bytes on the wire for a 5,000-span trace, from MLflow directly (uncompressed, as
the viewer receives it from MLflow's own server) and through `trace-viewer serve` (compressed for the browser),
and how long each answer takes. Logs the trace through the SDK into a throwaway MLflow server."""

import gzip
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from mlflow_server import MlflowServer, free_port  # noqa: E402

SPANS = 5_000


def log_trace(url: str) -> str:
    import mlflow
    from mlflow.entities import SpanType

    mlflow.set_tracking_uri(url)
    mlflow.set_experiment("wire-bytes")
    root = mlflow.start_span_no_context("agent", span_type=SpanType.AGENT, inputs={"question": "plan a trip"})
    for index in range(SPANS - 1):
        span = mlflow.start_span_no_context(f"step_{index}", span_type=SpanType.TOOL, parent_span=root,
                                            inputs={"query": f"leg {index} of the trip", "options": list(range(5))})
        span.end(outputs={"result": f"found {index} hotels near the station", "score": index / SPANS})
    root.end(outputs="done")
    mlflow.flush_trace_async_logging()
    return root.trace_id


TOKEN = "serve-bench-token"


def fetch(url: str, compressed: bool) -> tuple[int, int, float]:
    """(bytes on the wire, bytes once unpacked, seconds)."""
    headers = {"Accept-Encoding": "gzip", "X-Trace-Viewer-Token": TOKEN} if compressed else {}
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
        body = answer.read()
        unpacked = gzip.decompress(body) if answer.headers.get("Content-Encoding") == "gzip" else body
    return len(body), len(unpacked), time.perf_counter() - started


def main() -> None:
    with MlflowServer() as server:
        trace_id = log_trace(server.url)
        port = free_port()
        # A fixed token, sent as a script sends it.
        serve = subprocess.Popen([sys.executable, "-m", "trace_viewer.serve", "serve", "--tracking-uri", server.url, "--port", str(port)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env={**os.environ, "TRACE_VIEWER_TOKEN": TOKEN})
        try:
            time.sleep(3)
            path = f"/ajax-api/3.0/mlflow/get-trace-artifact?request_id={trace_id}"
            direct = fetch(server.url + path, compressed=False)
            proxied = fetch(f"http://127.0.0.1:{port}{path}", compressed=True)
        finally:
            serve.terminate()
    print(f"| a {SPANS:,}-span trace's spans | bytes on the wire | unpacked | time |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| MLflow, uncompressed | {direct[0]:,} | {direct[1]:,} | {direct[2] * 1000:.0f} ms |")
    print(f"| trace-viewer serve, gzip | {proxied[0]:,} | {proxied[1]:,} | {proxied[2] * 1000:.0f} ms |")
    print(f"\n{direct[0] / proxied[0]:.1f}x fewer bytes on the wire")


if __name__ == "__main__":
    main()
