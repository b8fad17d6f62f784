"""Benchmark (not a test): the span viewer on one trace of 1,000, 10,000 and 50,000 spans, in headless
Chromium with the release build.

For each size it prints: the time from the trace file's arrival to an interactive tree and timeline (the first
span row and the minimap painted), the time to select a span and show its panel (median of 5 clicks), the
number of elements in the DOM, the JS heap and the wasm memory. Run by bench/run.sh after a release build;
the traces are generated into dist/bench/ and removed after.
"""

import json
import shutil
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DIST, chromium, require_build, served_dist  # noqa: E402
from table_bench import b64  # noqa: E402

SIZES = [1_000, 10_000, 50_000]

# Runs before the app: records when the first span row appears, and keeps the wasm memory for reading.
PROBE = """
window.__probe = {};
new MutationObserver((_, observer) => {
  if (document.querySelector('.span-row') && document.querySelector('.minimap-canvas')) {
    window.__probe.interactive = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
addEventListener('TrunkApplicationStarted', event => { window.__probe.memory = event.detail.wasm.memory; });
"""


def agent_trace(spans: int) -> dict:
    """An agent of `spans` spans: rounds of an LLM call and a tool call, every tenth span a sub-agent."""
    trace_id = b64(0xABCDEF, 16)
    start = 1_795_301_211_410_585_093
    items = [{"trace_id": trace_id, "span_id": b64(1, 8), "parent_span_id": None, "name": "agent",
              "start_time_unix_nano": start, "end_time_unix_nano": start + spans * 2_000_000,
              "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
              "attributes": {"mlflow.spanType": '"AGENT"', "mlflow.spanInputs": '{"question": "plan my week"}',
                             "mlflow.spanOutputs": '{"answer": "done"}'}}]
    for i in range(1, spans):
        parent = 1 if i % 10 == 1 else i - (i - 1) % 10
        llm = i % 2 == 0
        attributes = {
            "mlflow.spanType": '"CHAT_MODEL"', "mlflow.llm.model": '"gpt-4o-mini"',
            "mlflow.spanInputs": json.dumps({"messages": [{"role": "user", "content": f"step {i}: what next?"}]}),
            "mlflow.spanOutputs": json.dumps({"choices": [{"message": {"role": "assistant", "content": "call the tool"}}]}),
            "mlflow.chat.tokenUsage": '{"input_tokens": 120, "output_tokens": 30, "total_tokens": 150}',
        } if llm else {"mlflow.spanType": '"TOOL"', "mlflow.spanInputs": json.dumps({"query": f"item {i}"}),
                       "mlflow.spanOutputs": '{"result": [1, 2, 3]}'}
        items.append({"trace_id": trace_id, "span_id": b64(i + 1, 8), "parent_span_id": b64(parent, 8),
                      "name": ("llm" if llm else "tool") + f"_{i}",
                      "start_time_unix_nano": start + i * 2_000_000, "end_time_unix_nano": start + i * 2_000_000 + 1_500_000,
                      "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [], "attributes": attributes})
    return {"info": {"trace_id": "tr-0000000000000000000000000000abcdef", "state": "OK",
                     "execution_duration_ms": spans * 2, "trace_metadata": {}, "tags": {"mlflow.traceName": "agent"}},
            "data": {"spans": items}}


def measure(browser, port: int, size: int) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(PROBE)
    file = f"spans-{size}.json"
    page.goto(f"http://127.0.0.1:{port}/?traces=bench/{file}&trace_id=tr-0000000000000000000000000000abcdef")
    page.locator(".span-row").first.wait_for(timeout=180_000)
    arrival = page.evaluate(f"""() => {{
        const entry = performance.getEntriesByType('resource').find(e => e.name.includes('{file}'));
        return {{arrived: entry.responseEnd, interactive: window.__probe.interactive}};
    }}""")
    select_ms = page.evaluate("""async () => {
        const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
        const times = [];
        for (let i = 0; i < 5; i++) {
            const rows = document.querySelectorAll('.span-row');
            const row = rows[Math.min(rows.length - 1, 8 + i * 3)];
            const name = row.querySelector('.span-name').textContent;
            const start = performance.now();
            row.click();
            await frame();
            if (document.querySelector('.span-title').textContent !== name) throw new Error('panel did not follow');
            times.push(performance.now() - start);
        }
        return times;
    }""")
    figures = page.evaluate("""() => ({
        elements: document.getElementsByTagName('*').length,
        rows: document.querySelectorAll('.span-row').length,
        heap: performance.memory ? performance.memory.usedJSHeapSize : null,
        wasm: window.__probe.memory ? window.__probe.memory.buffer.byteLength : null,
    })""")
    page.close()
    return {"size": size, "ready": arrival["interactive"] - arrival["arrived"], "select": statistics.median(select_ms), **figures}


def main() -> None:
    require_build()
    folder = DIST / "bench"
    folder.mkdir(exist_ok=True)
    for size in SIZES:
        (folder / f"spans-{size}.json").write_text(json.dumps(agent_trace(size)))
    try:
        with served_dist() as port, sync_playwright() as playwright:
            browser = chromium(playwright)
            results = [measure(browser, port, size) for size in SIZES]
            browser.close()
    finally:
        shutil.rmtree(folder)
    targets = {1_000: "", 10_000: "300 ms", 50_000: "1,500 ms"}
    mb = lambda n: f"{n / 1e6:.0f} MB" if n else "n/a"  # noqa: E731
    print("| spans | data arrival to interactive tree (target) | select a span (median of 5; target 50 ms) "
          "| DOM elements (span rows) | JS heap | wasm memory |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        target = f" ({targets[r['size']]})" if targets[r["size"]] else ""
        print(f"| {r['size']:,} | {r['ready']:.0f} ms{target} | {r['select']:.0f} ms | {r['elements']:,} ({r['rows']}) "
              f"| {mb(r['heap'])} | {mb(r['wasm'])} |")


if __name__ == "__main__":
    main()
