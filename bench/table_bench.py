"""Benchmark (not a test): the trace table on 10,000 traces in file mode, in headless Chromium.

Prints the time from the data's arrival to the first rows, from a keystroke in the search box to the
repainted table (median over a typed word and a filter), and the number of row elements in the DOM.
Run by bench/run.sh after a release build; the traces are generated into dist/bench/ and removed after.
"""

import json
import random
import shutil
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DIST, chromium, require_build, served_dist  # noqa: E402

TRACES = 10_000


def b64(number: int, size: int) -> str:
    import base64
    return base64.b64encode(number.to_bytes(size, "big")).decode()


def generate(count: int) -> list[dict]:
    """Agent traces like the demo's: a root, an LLM call, a tool call, an answer; states, users, tokens."""
    rng = random.Random(11)
    start = 1_795_000_000_000_000_000
    traces = []
    for i in range(count):
        t0 = start + i * 60_000_000_000
        tid = b64(i + 1, 16)
        hex_id = f"tr-{i + 1:032x}"
        city = rng.choice(["Paris", "Tokyo", "Lima", "Oslo", "Cairo"])
        failed = rng.random() < 0.05
        spans = [{"trace_id": tid, "span_id": b64(i * 4 + 1, 8), "parent_span_id": None, "name": "weather_agent",
                  "start_time_unix_nano": t0, "end_time_unix_nano": t0 + 2_000_000_000,
                  "status": {"code": "STATUS_CODE_ERROR" if failed else "STATUS_CODE_OK", "message": ""}, "events": [],
                  "attributes": {"mlflow.spanType": '"AGENT"', "mlflow.spanInputs": json.dumps({"question": f"Weather in {city}?"}),
                                 "mlflow.spanOutputs": json.dumps({"answer": f"Sunny in {city}."})}}]
        for j, (name, kind) in enumerate([("plan", "CHAT_MODEL"), ("get_weather", "TOOL"), ("answer", "CHAT_MODEL")]):
            spans.append({"trace_id": tid, "span_id": b64(i * 4 + 2 + j, 8), "parent_span_id": b64(i * 4 + 1, 8), "name": name,
                          "start_time_unix_nano": t0 + j * 500_000_000, "end_time_unix_nano": t0 + (j + 1) * 500_000_000,
                          "status": {"code": "STATUS_CODE_OK", "message": ""}, "events": [],
                          "attributes": {"mlflow.spanType": json.dumps(kind), "mlflow.spanInputs": json.dumps({"city": city}),
                                         "mlflow.spanOutputs": json.dumps({"celsius": 21})}})
        usage = {"input_tokens": rng.randint(100, 900), "output_tokens": rng.randint(10, 200)}
        usage["total_tokens"] = usage["input_tokens"] + usage["output_tokens"]
        traces.append({"info": {"trace_id": hex_id, "request_time": None, "state": "ERROR" if failed else "OK",
                                "execution_duration_ms": 2000,
                                "trace_metadata": {"mlflow.trace.user": rng.choice(["alice", "bob", "carol"]),
                                                   "mlflow.trace.session": f"s-{i // 4}", "mlflow.trace.tokenUsage": json.dumps(usage)},
                                "tags": {"mlflow.traceName": "weather_agent", "env": rng.choice(["prod", "staging"])}},
                       "data": {"spans": spans}})
        del traces[-1]["info"]["request_time"]
    return traces


def main() -> None:
    require_build()
    folder = DIST / "bench"
    folder.mkdir(exist_ok=True)
    data = folder / "traces-10k.json"
    data.write_text(json.dumps(generate(TRACES)))
    try:
        with served_dist() as port, sync_playwright() as playwright:
            browser = chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            # The moment the first row is in the page, recorded by the page itself (polling from here is late).
            page.add_init_script("""new MutationObserver((_, observer) => {
                if (document.querySelector('.trace-row')) { window.__firstRow = performance.now(); observer.disconnect(); }
            }).observe(document, {childList: true, subtree: true});""")
            page.goto(f"http://127.0.0.1:{port}/?traces=bench/traces-10k.json")
            # (wait_for_function would evaluate a string, which the page's CSP rightly forbids)
            page.locator(".trace-row").first.wait_for(timeout=120_000)
            first_rows = page.evaluate("""() => {
                const data = performance.getEntriesByType('resource').find(e => e.name.includes('traces-10k.json'));
                return {arrived: data.responseEnd, painted: window.__firstRow};
            }""")
            # A user reads the table before typing: the keystrokes start once the page is quiet.
            page.wait_for_timeout(2000)
            keystroke_ms = page.evaluate("""async () => {
                const input = document.querySelector('.filter-input');
                const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                const times = [];
                for (const text of ['c', 'ca', 'cai', 'cair', 'cairo', "trace.status = 'ERROR'", "tag.env = 'prod'", '']) {
                    const start = performance.now();
                    input.value = text;
                    input.dispatchEvent(new Event('input'));
                    await frame();
                    times.push(performance.now() - start);
                }
                return times;
            }""")
            rows_in_dom = page.evaluate("document.querySelectorAll('.trace-row').length")
            total = page.locator("[role=table]").get_attribute("aria-rowcount")
            browser.close()
    finally:
        shutil.rmtree(folder)
    print(f"| metric ({TRACES:,} traces, file mode) | value | target |")
    print("| --- | ---: | ---: |")
    print(f"| first rows after the data arrived (parse included) | {first_rows['painted'] - first_rows['arrived']:.0f} ms | 300 ms |")
    print(f"| keystroke to repainted table, median of {len(keystroke_ms)} | {statistics.median(keystroke_ms):.0f} ms | 50 ms |")
    print(f"| keystroke to repainted table, slowest | {max(keystroke_ms):.0f} ms | |")
    print("each keystroke (ms):", [round(t) for t in keystroke_ms], file=sys.stderr)
    print(f"| row elements in the DOM ({total} rows in the table) | {rows_in_dom} | 150 |")


if __name__ == "__main__":
    main()
