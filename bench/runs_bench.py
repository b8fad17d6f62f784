"""Benchmark (not a test): comparing runs and folding loops (issue 21), in headless Chromium with the release
build.

Prints:
- two 5,000-span agent runs compared: the time from the file's arrival until the comparison (its summary, the
  first divergence and the aligned steps) is shown, and the longest main-thread task after the arrival;
- a 50,000-span agent trace whose workers loop (folded into "× N iterations" rows), opened in the span viewer:
  the time from the file's arrival to an interactive tree, beside the same trace with every span named
  differently (nothing to fold); the difference is what finding and folding the loops costs the first paint;
- the same 50,000-span trace as its agent graph (`view=graph`; issue 22: laid out within 1 s);
- a session of 500 turns (issue 22: windowed), from the file's arrival to its first turns.
Run by bench/run.sh after a release build; the files are generated into dist/bench-runs/ and removed after.
"""

import json
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DIST, chromium, require_build, served_dist  # noqa: E402
from table_bench import b64  # noqa: E402

FOLDER = DIST / "bench-runs"
START = 1_795_301_211_410_585_093

# Runs before the app: long tasks, and when the watched selector first shows.
PROBE = """
window.__probe = {longTasks: []};
new PerformanceObserver(list => window.__probe.longTasks.push(...list.getEntries().map(e => [e.startTime, e.duration])))
  .observe({type: 'longtask', buffered: true});
new MutationObserver((_, observer) => {
  if (document.querySelector(window.__watch || '.compare-banner')) {
    window.__probe.shown = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def worker_run(trace_number: int, spans: int, variant: bool = False, unique_names: bool = False) -> dict:
    """An agent whose workers each plan and search four times, then summarise (ten spans a worker). The
    variant chooses another tool in its third worker, fails ten searches and retries one more time in a
    worker; with unique names nothing repeats."""
    trace_id = b64(trace_number, 16)
    items = []
    clock = START

    def add(span_number: int, parent: int | None, name: str, kind: str, ms: float, failed: bool = False, tokens: int = 0):
        nonlocal clock
        attributes = {"mlflow.spanType": json.dumps(kind), "mlflow.spanInputs": json.dumps({"query": f"{name} {span_number % 7}"})}
        if tokens:
            attributes["mlflow.chat.tokenUsage"] = json.dumps({"input_tokens": tokens - 20, "output_tokens": 20, "total_tokens": tokens})
            attributes["mlflow.spanOutputs"] = json.dumps({"choices": [{"message": {"role": "assistant", "content": "search next"}}]})
        items.append({"trace_id": trace_id, "span_id": b64(span_number, 8), "parent_span_id": b64(parent, 8) if parent else None,
                      "name": f"{name}_{span_number}" if unique_names and parent else name,
                      "start_time_unix_nano": clock, "end_time_unix_nano": clock + int(ms * 1_000_000),
                      "status": {"code": "STATUS_CODE_ERROR" if failed else "STATUS_CODE_OK", "message": "timeout" if failed else ""},
                      "events": [], "attributes": attributes})
        clock += int(ms * 1_000_000)

    add(1, None, "agent", "AGENT", 0)
    number = 2
    for worker in range(spans // 10):
        parent = number
        add(number, 1, "worker", "AGENT", 0.1)
        number += 1
        searches = 5 if variant and worker == 200 else 4
        for k in range(searches):
            add(number, parent, "plan", "CHAT_MODEL", 1.0, tokens=150)
            tool = "browse" if variant and worker == 3 and k == 0 else "search"
            add(number + 1, parent, tool, "TOOL", 0.5, failed=variant and 100 <= worker < 110 and k == 1)
            number += 2
        add(number, parent, "summarise", "CHAT_MODEL", 0.8, tokens=90)
        number += 1
    items[0]["end_time_unix_nano"] = clock
    return {"info": {"trace_id": f"tr-{trace_number:032x}", "state": "OK", "execution_duration_ms": (clock - START) // 1_000_000,
                     "trace_metadata": {}, "tags": {"mlflow.traceName": "agent"}},
            "data": {"spans": items}}


def session_turn(n: int) -> dict:
    """Turn `n` of a 500-turn chat session: a question, a tool call, an answer."""
    trace_id = b64(1000 + n, 16)
    start = START + n * 60_000_000_000
    root = {"trace_id": trace_id, "span_id": b64(n * 2, 8), "parent_span_id": None, "name": "assistant",
            "start_time_unix_nano": start, "end_time_unix_nano": start + 2_000_000_000,
            "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
            "attributes": {"mlflow.spanType": '"AGENT"',
                           "mlflow.spanInputs": json.dumps({"messages": [{"role": "user", "content": f"Question {n}: what about **this**?"}]}),
                           "mlflow.spanOutputs": json.dumps({"choices": [{"message": {"role": "assistant", "content": f"Answer {n}."}}]})}}
    tool = {"trace_id": trace_id, "span_id": b64(n * 2 + 1, 8), "parent_span_id": b64(n * 2, 8), "name": "lookup",
            "start_time_unix_nano": start + 100, "end_time_unix_nano": start + 900_000_000,
            "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [], "attributes": {"mlflow.spanType": '"TOOL"'}}
    return {"info": {"trace_id": f"tr-{1000 + n:032x}", "state": "OK", "execution_duration_ms": 2000,
                     "trace_metadata": {"mlflow.trace.session": "long"}, "tags": {"mlflow.traceName": "assistant"}},
            "data": {"spans": [root, tool]}}


def measure(browser, port: int, query: str, file: str, watch: str) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(f"window.__watch = {json.dumps(watch)};" + PROBE)
    page.goto(f"http://127.0.0.1:{port}/{query}")
    page.locator(watch).first.wait_for(timeout=180_000)
    page.wait_for_timeout(500)  # long tasks are reported after they end
    figures = page.evaluate(f"""() => {{
        const arrived = performance.getEntriesByType('resource').find(e => e.name.includes('{file}')).responseEnd;
        const after = window.__probe.longTasks.filter(([start]) => start >= arrived).map(([, duration]) => duration);
        return {{ready: window.__probe.shown - arrived, longest: Math.max(0, ...after), elements: document.getElementsByTagName('*').length,
                 shown: document.querySelector({json.dumps(watch)}).textContent.trim().slice(0, 90)}};
    }}""")
    page.close()
    return figures


def main() -> None:
    require_build()
    FOLDER.mkdir(exist_ok=True)
    (FOLDER / "runs.json").write_text(json.dumps([worker_run(1, 5_000), worker_run(2, 5_000, variant=True)]))
    (FOLDER / "loops.json").write_text(json.dumps([worker_run(3, 50_000)]))
    (FOLDER / "no-loops.json").write_text(json.dumps([worker_run(3, 50_000, unique_names=True)]))
    (FOLDER / "session.json").write_text(json.dumps([session_turn(n) for n in range(1, 501)]))
    ids = f"tr-{1:032x},tr-{2:032x}"
    try:
        with served_dist() as port, sync_playwright() as playwright:
            browser = chromium(playwright)
            compared = measure(browser, port, f"?traces=bench-runs/runs.json&compare={ids}", "runs.json", ".compare-banner")
            tree = f"&trace_id=tr-{3:032x}"
            folded = measure(browser, port, f"?traces=bench-runs/loops.json{tree}", "loops.json", ".loop-row")
            plain = measure(browser, port, f"?traces=bench-runs/no-loops.json{tree}", "no-loops.json", ".span-row")
            graph = measure(browser, port, f"?traces=bench-runs/loops.json{tree}&view=graph", "loops.json", ".graph-node")
            session = measure(browser, port, "?traces=bench-runs/session.json&session=long", "session.json", ".turn-card")
            browser.close()
    finally:
        shutil.rmtree(FOLDER)
    print("| view | data arrival to shown | longest task after arrival | DOM elements | what shows |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, r in [("two 5,000-span runs compared (target 1 s, longest task 200 ms)", compared),
                    ("50,000-span trace, loops folded", folded), ("the same, nothing to fold", plain),
                    ("the 50,000-span trace as its agent graph (target: laid out within 1 s)", graph),
                    ("a session of 500 turns", session)]:
        print(f"| {name} | {r['ready']:.0f} ms | {r['longest']:.0f} ms | {r['elements']:,} | {r['shown']} |")
    print(f"\nFolding adds {folded['ready'] - plain['ready']:.0f} ms to the 50,000-span trace's first paint (target 100 ms).")


if __name__ == "__main__":
    main()
