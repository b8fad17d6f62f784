"""Benchmark (not a test): huge inputs in headless Chromium with the release build (issue 9).

For each input it prints the time from the data's arrival until the view is usable, the longest main-thread
task after the data arrived (Chromium's long-task entries; the page cannot answer the user during one), the
peak JS heap (sampled between tasks) and the wasm memory (it only grows, so it is the peak), and what the
page shows. Inputs:
- a 50,000-span agent trace (26 MB), opened in the span viewer;
- a trace whose span output is one 5 MB string, opened with that span selected;
- a span input nested 200 levels deep, opened with that span selected;
- a trace with 10,000 tags, opened in the span viewer;
- 100 MB of trace files (5 files, 50,000 traces), opened in the table;
- adversarial chat messages (issue 18's complexity inputs: 200,000 `[` then `]`, backtick runs of every length,
  500,000 characters of emphasis marks), opened in the chat view with "Show all" clicked.
Run by bench/run.sh after a release build; the files are generated into dist/bench-huge/ and removed after.
"""

import json
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DIST, chromium, require_build, served_dist  # noqa: E402
from span_bench import agent_trace  # noqa: E402
from table_bench import b64, generate  # noqa: E402

FOLDER = DIST / "bench-huge"
TRACE_ID = "tr-0000000000000000000000000000abcdef"

# Runs before the app: long tasks, peak heap between tasks, and the wasm memory.
PROBE = """
window.__probe = {longTasks: [], peakHeap: 0};
new PerformanceObserver(list => window.__probe.longTasks.push(...list.getEntries().map(e => [e.startTime, e.duration])))
  .observe({type: 'longtask', buffered: true});
setInterval(() => {
  if (performance.memory) window.__probe.peakHeap = Math.max(window.__probe.peakHeap, performance.memory.usedJSHeapSize);
}, 50);
addEventListener('TrunkApplicationStarted', event => { window.__probe.memory = event.detail.wasm.memory; });
"""


def small_trace(attributes: dict, tags: dict | None = None) -> dict:
    """A root span and one child carrying `attributes`."""
    start = 1_795_301_211_410_585_093
    trace_id = b64(0xABCDEF, 16)
    spans = [
        {"trace_id": trace_id, "span_id": b64(1, 8), "parent_span_id": None, "name": "agent",
         "start_time_unix_nano": start, "end_time_unix_nano": start + 3_000_000_000,
         "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
         "attributes": {"mlflow.spanType": '"AGENT"', "mlflow.spanInputs": '{"question": "summarise"}'}},
        {"trace_id": trace_id, "span_id": b64(2, 8), "parent_span_id": b64(1, 8), "name": "big_step",
         "start_time_unix_nano": start + 1_000_000_000, "end_time_unix_nano": start + 2_000_000_000,
         "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
         "attributes": {"mlflow.spanType": '"TOOL"', **attributes}},
    ]
    return {"info": {"trace_id": TRACE_ID, "state": "OK", "execution_duration_ms": 3000, "trace_metadata": {},
                     "tags": {"mlflow.traceName": "agent", **(tags or {})}},
            "data": {"spans": spans}}


def nested(depth: int) -> dict:
    value: object = "bottom"
    for level in range(depth):
        value = {f"level_{depth - level}": value}
    return value


def write_inputs() -> dict[str, list[str]]:
    """Input name -> the files it consists of (relative to dist/)."""
    FOLDER.mkdir(exist_ok=True)
    inputs: dict[str, list[str]] = {}

    def save(name: str, document) -> str:
        (FOLDER / name).write_text(json.dumps(document))
        return f"bench-huge/{name}"

    inputs["50,000 spans"] = [save("spans-50000.json", agent_trace(50_000))]
    long_output = ("All work and no play makes the model a dull boy. " * 110_000)[:5 * 1024 * 1024]
    inputs["a 5 MB string"] = [save("long-string.json", small_trace({"mlflow.spanOutputs": json.dumps(long_output)}))]
    inputs["200 levels deep"] = [save("deep.json", small_trace({"mlflow.spanInputs": json.dumps(nested(200))}))]
    inputs["10,000 tags"] = [save("tags.json", small_trace({}, {f"tag_{i:05}": f"value {i}" for i in range(10_000)}))]
    adversarial = {
        "markdown: 200,000 brackets": "[" * 200_000 + "]",
        "markdown: backtick runs": "".join("`" * n + "a" for n in range(1, 600)),
        "markdown: 500,000 emphasis marks": "*_`[" * 125_000,
    }
    for index, (name, text) in enumerate(adversarial.items()):
        chat = {"mlflow.spanType": '"CHAT_MODEL"', "mlflow.spanInputs": json.dumps({"messages": [{"role": "user", "content": text}]})}
        inputs[name] = [save(f"adversarial-{index}.json", small_trace(chat))]
    traces = generate(50_000)
    inputs["100 MB of files"] = [save(f"traces-{part}.json", traces[part * 10_000:(part + 1) * 10_000]) for part in range(5)]
    return inputs


def measure(browser, port: int, name: str, files: list[str]) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(PROBE)
    traces = "&".join(f"traces={file}" for file in files)
    in_table = name == "100 MB of files"
    if in_table:
        page.goto(f"http://127.0.0.1:{port}/?{traces}")
        page.locator(".trace-row").first.wait_for(timeout=600_000)
    else:
        selected = "" if name in ("50,000 spans", "10,000 tags") else "&span_id=0000000000000002"
        page.goto(f"http://127.0.0.1:{port}/?{traces}&trace_id={TRACE_ID}{selected}")
        page.locator(".span-row").first.wait_for(timeout=600_000)
        if selected:
            page.locator(".span-title", has_text="big_step").wait_for(timeout=60_000)
        if name.startswith("markdown"):
            page.get_by_role("button", name="Show all").first.click()
    ready = page.evaluate("() => performance.now()")
    page.wait_for_timeout(2_000)  # tasks that follow the first paint (effects, the minimap, lazy panels)
    figures = page.evaluate("""files => {
        const arrivals = performance.getEntriesByType('resource').filter(e => files.some(f => e.name.endsWith(f)));
        const arrived = Math.max(...arrivals.map(e => e.responseEnd));
        const after = window.__probe.longTasks.filter(([start, duration]) => start + duration > arrived);
        return {
            arrived,
            longest: Math.max(0, ...after.map(([start, duration]) => start + duration - Math.max(start, arrived))),
            longTasks: after.length,
            elements: document.getElementsByTagName('*').length,
            heap: window.__probe.peakHeap,
            wasm: window.__probe.memory ? window.__probe.memory.buffer.byteLength : null,
            shown: (document.querySelector('.too-long, .error-panel, .warning') || {}).textContent || '',
            rows: document.querySelector('[role=table]') ? document.querySelector('[role=table]').getAttribute('aria-rowcount') : null,
        };
    }""", files)
    page.close()
    size = sum((DIST / file).stat().st_size for file in files)
    return {"name": name, "size": size, "ready": ready - figures["arrived"], **figures}


def main() -> None:
    require_build()
    inputs = write_inputs()
    try:
        with served_dist() as port, sync_playwright() as playwright:
            browser = chromium(playwright)
            results = [measure(browser, port, name, files) for name, files in inputs.items()]
            browser.close()
    finally:
        shutil.rmtree(FOLDER)
    mb = lambda n: (f"{n / 1e6:.0f} MB" if n >= 10e6 else f"{n / 1e6:.1f} MB") if n else "n/a"  # noqa: E731
    print("| input | file size | data arrival to usable view | longest task after arrival (target 200 ms) "
          "| long tasks | peak JS heap | wasm memory | DOM elements | shown |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        shown = f"{int(r['rows']):,} rows" if r["rows"] else (r["shown"].strip()[:70] or "the view")
        print(f"| {r['name']} | {mb(r['size'])} | {r['ready']:,.0f} ms | {r['longest']:,.0f} ms | {r['longTasks']} "
              f"| {mb(r['heap'])} | {mb(r['wasm'])} | {r['elements']:,} | {shown} |")


if __name__ == "__main__":
    main()
