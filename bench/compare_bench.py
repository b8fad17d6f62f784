"""Benchmark (not a test): this viewer beside MLflow's own UI, on the same server, traces and browser (issue 8).

Starts a real MLflow server with a temporary sqlite store, logs one agent trace of each size (LLM and tool
calls, every tenth span a sub-agent; through the server's OTLP endpoint) and an experiment of 2,000 traces
(through the Python SDK), then measures in headless Chromium, cold (a new browser context per load), the
median of RUNS loads (one for MLflow's renderer above 1,000 spans), all times from navigation:
- span detail: this viewer (`?server=…&trace_id=…`, served statically) and MLflow's notebook trace renderer
  (`/static-files/lib/notebook-trace-renderer/index.html?trace_id=…`): when the server's last answer arrived,
  when the root span and a span two levels down show, when the main thread is quiet (no long task for a
  second), the longest task, JS heap and wasm memory, DOM elements, and the static bytes;
- trace table: this viewer and MLflow's main UI (`/#/experiments/<id>/traces`): time until the newest trace's
  row shows.
A text counts as shown at the first frame in which an element holding it is on screen, recorded inside the
page: Playwright's own wait polls at 0, 20, 50, 100, 100 ms and then every 500 ms, which made earlier figures
late by up to half a second, for both viewers.
Prints one markdown table per part, with MLflow / this viewer ratios.

    .venv/bin/python bench/compare_bench.py [sizes…]     # default 100 1000 5000 20000 50000; RUNS=3
"""

import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import chromium, require_build, served_dist  # noqa: E402
from mlflow_server import MlflowServer  # noqa: E402

SIZES = [int(size) for size in sys.argv[1:]] or [100, 1_000, 5_000, 20_000, 50_000]
RUNS = int(os.environ.get("RUNS", "3"))
TABLE_TRACES = int(os.environ.get("TABLE_TRACES", "2000"))
# A load that has not shown the tree by then is reported as "> LIMIT".
LIMIT_S = float(os.environ.get("LIMIT_S", "60"))
ROOT_NAME = "bench_agent_root"
DEEP_NAME = "llm_4"  # bench_agent_root > sub_agent_2 > llm_4

# Runs before either app: long tasks, and the wasm memory for this viewer.
PROBE = """
window.__probe.longTasks = [];
new PerformanceObserver(list => window.__probe.longTasks.push(...list.getEntries().map(e => [e.startTime, e.duration])))
  .observe({type: 'longtask', buffered: true});
addEventListener('TrunkApplicationStarted', event => { window.__probe.memory = event.detail.wasm.memory; });
// When each awaited text is first on screen, seen from inside the page: the elements that receive the text
// are collected as they enter (a MutationObserver), and checked for visibility at every frame. A span name
// must be a whole text (llm_4, not llm_40); a table's question may be part of one.
window.__probe.firstSeen = {};
const candidates = {};
const holders = (node, text, exact) => {
  if (!(node.textContent || '').includes(text)) return [];
  if (!exact) return [node.nodeType === Node.TEXT_NODE ? node.parentElement : node];
  if (node.nodeType === Node.TEXT_NODE) return node.data.trim() === text ? [node.parentElement] : [];
  const found = [];
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) if (walker.currentNode.data.trim() === text) found.push(walker.currentNode.parentElement);
  return found;
};
const observer = new MutationObserver(records => {
  for (const [text, exact] of window.__probe.awaited) {
    if (window.__probe.firstSeen[text]) continue;
    for (const record of records) {
      const nodes = record.type === 'characterData' ? [record.target] : record.addedNodes;
      for (const node of nodes) (candidates[text] ||= []).push(...holders(node, text, exact).filter(Boolean));
    }
  }
});
observer.observe(document, {childList: true, subtree: true, characterData: true});
const onScreen = element => element.isConnected && element.getClientRects().length > 0
  && element.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
const everyFrame = () => {
  for (const [text] of window.__probe.awaited) {
    if (!window.__probe.firstSeen[text] && (candidates[text] || []).some(onScreen)) window.__probe.firstSeen[text] = performance.now();
  }
  if (window.__probe.awaited.every(([text]) => window.__probe.firstSeen[text])) observer.disconnect();
  else requestAnimationFrame(everyFrame);
};
requestAnimationFrame(everyFrame);
"""


def log_agent(server_url: str, experiment_id: str, spans: int) -> str:
    """One agent trace of `spans` spans, sent to the server's OTLP endpoint (the one the SDK logs spans
    through) with the attributes the SDK writes; returns its id. Far faster than creating 50,000 spans in
    the SDK, and stored the same way."""
    trace_hex = os.urandom(16).hex()
    start = time.time_ns() - spans * 1_000_000
    items = []

    def add(number: int, parent: int | None, name: str, kind: str, inputs, outputs, end_number: int, **extra) -> None:
        attributes = {"mlflow.spanType": json.dumps(kind), "mlflow.spanInputs": json.dumps(inputs),
                      "mlflow.spanOutputs": json.dumps(outputs), **{key: json.dumps(value) for key, value in extra.items()}}
        items.append({"traceId": trace_hex, "spanId": f"{number:016x}", "parentSpanId": f"{parent:016x}" if parent else "",
                      "name": name, "kind": 1, "status": {"code": 1},
                      "startTimeUnixNano": str(start + number * 1_000_000), "endTimeUnixNano": str(start + end_number * 1_000_000 + 800_000),
                      "attributes": [{"key": key, "value": {"stringValue": value}} for key, value in attributes.items()]})

    add(1, None, ROOT_NAME, "AGENT", {"question": "plan my week"}, {"answer": "done"}, spans)
    made = 1
    while made < spans:
        made += 1
        sub = made
        children = min(9, spans - made)
        add(sub, 1, f"sub_agent_{sub}", "AGENT", {"task": f"part {sub}"}, {"done": True}, sub + children)
        for _ in range(children):
            made += 1
            if made % 2 == 0:
                add(made, sub, f"llm_{made}", "CHAT_MODEL",
                    {"messages": [{"role": "user", "content": f"step {made}: what next?"}]},
                    {"choices": [{"message": {"role": "assistant", "content": "call the tool"}}]}, made,
                    **{"mlflow.chat.tokenUsage": {"input_tokens": 120, "output_tokens": 30, "total_tokens": 150}})
            else:
                add(made, sub, f"tool_{made}", "TOOL", {"query": f"item {made}"}, {"result": [1, 2, 3]}, made)
    body = json.dumps({"resourceSpans": [{"resource": {"attributes": []},
                                          "scopeSpans": [{"scope": {"name": "bench"}, "spans": items}]}]}).encode()
    request = urllib.request.Request(f"{server_url}/v1/traces", data=body, method="POST", headers={
        "Content-Type": "application/json", "x-mlflow-experiment-id": experiment_id})
    urllib.request.urlopen(request, timeout=600).read()
    return f"tr-{trace_hex}"


def log_table_experiment(count: int) -> str:
    import mlflow

    experiment_id = mlflow.set_experiment("bench-table").experiment_id
    for i in range(count):
        with mlflow.start_span(name="weather_agent", span_type="AGENT") as span:
            span.set_inputs({"question": f"Weather in city {i}?"})  # read back by main()
            span.set_outputs({"answer": "Sunny."})
    return experiment_id


def load(browser, url: str, shown: list[str]) -> dict:
    """Opens `url` in a fresh context; waits until each text in `shown` is on screen, then until quiet."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    awaited = [[text, text in (ROOT_NAME, DEEP_NAME)] for text in shown]
    page.add_init_script(f"window.__probe = {{awaited: {json.dumps(awaited)}}};\n{PROBE}")
    started = time.time()
    page.goto(url, wait_until="commit")
    times = []
    try:
        for text in shown:
            page.get_by_text(text, exact=text in (ROOT_NAME, DEEP_NAME)).locator("visible=true").first.wait_for(timeout=LIMIT_S * 1000 - (time.time() - started) * 1000)
            # The test's own poll backs off to every 500 ms, so it only confirms; the page says when.
            polled = page.evaluate("() => performance.now()")
            times.append(page.evaluate(f"() => window.__probe.firstSeen[{json.dumps(text)}]") or polled)
    except Exception as problem:  # noqa: BLE001 - a timeout is a result here
        print(f"{url}: {str(problem).splitlines()[0]}", file=sys.stderr)
        context.close()
        return {"timed_out": True}
    # Quiet: a second with no long task (checked every 250 ms, up to the limit).
    while time.time() - started < LIMIT_S:
        quiet_since = page.evaluate("""() => {
            const tasks = window.__probe.longTasks;
            const end = tasks.length ? Math.max(...tasks.map(([s, d]) => s + d)) : 0;
            return performance.now() - end > 1000 ? end : null;
        }""")
        if quiet_since is not None:
            break
        page.wait_for_timeout(250)
    figures = page.evaluate("""shownAt => {
        const requests = performance.getEntriesByType('resource')
            .filter(e => (e.initiatorType === 'fetch' || e.initiatorType === 'xmlhttprequest') && e.responseEnd <= shownAt);
        const bytes = {};
        for (const entry of performance.getEntriesByType('resource')) {
            const name = entry.name.split('?')[0];
            const kind = name.endsWith('.wasm') ? 'wasm' : name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css'
                : (entry.initiatorType === 'fetch' || entry.initiatorType === 'xmlhttprequest') ? 'data' : 'other';
            bytes[kind] = (bytes[kind] || 0) + (entry.decodedBodySize || 0);
        }
        const tasks = window.__probe.longTasks;
        return {
            bytes,
            longest: tasks.length ? Math.max(...tasks.map(([s, d]) => d)) : 0,
            quiet: tasks.length ? Math.max(...tasks.map(([s, d]) => s + d)) : 0,
            heap: performance.memory ? performance.memory.usedJSHeapSize : 0,
            wasm: window.__probe.memory ? window.__probe.memory.buffer.byteLength : 0,
            elements: document.getElementsByTagName('*').length,
            dataArrived: requests.length ? Math.max(...requests.map(e => e.responseEnd)) : 0,
        };
    }""", times[-1])
    context.close()
    return {"timed_out": False, "shown": times, **figures}


def median_of(browser, url: str, shown: list[str], runs: int) -> dict:
    loads = [load(browser, url, shown) for _ in range(runs)]
    done = [result for result in loads if not result["timed_out"]]
    if len(done) < len(loads):
        return {"timed_out": True}
    pick = lambda key: statistics.median(result[key] for result in done)  # noqa: E731
    return {
        "timed_out": False,
        "root": statistics.median(result["shown"][0] for result in done),
        "deep": statistics.median(result["shown"][-1] for result in done),
        "quiet": max(pick("quiet"), statistics.median(result["shown"][-1] for result in done)),
        "data": pick("dataArrived"), "longest": pick("longest"), "heap": pick("heap"), "wasm": pick("wasm"), "elements": pick("elements"),
        "bytes": done[0]["bytes"],
    }


def seconds(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def megabytes(n: float) -> str:
    return f"{n / 1e6:.0f} MB" if n >= 10e6 else f"{n / 1e6:.1f} MB"


def static_bytes(result: dict) -> str:
    b = result["bytes"]
    static = sum(b.get(kind, 0) for kind in ("js", "css", "wasm"))
    return megabytes(static)


def main() -> None:
    require_build()
    import mlflow

    os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"
    with MlflowServer() as server:
        mlflow.set_tracking_uri(server.url)
        experiment_id = mlflow.set_experiment("bench-spans").experiment_id
        traces = {}
        for size in SIZES:
            began = time.time()
            traces[size] = log_agent(server.url, experiment_id, size)
            print(f"logged {size:,} spans in {time.time() - began:.0f} s", file=sys.stderr)
        table_experiment = log_table_experiment(TABLE_TRACES)
        newest = f"Weather in city {TABLE_TRACES - 1}?"  # the newest trace's question, in both tables' first row
        print(f"logged {TABLE_TRACES:,} traces", file=sys.stderr)
        with served_dist() as port, sync_playwright() as playwright:
            ours = f"http://127.0.0.1:{port}/?server={server.url}"
            browser = chromium(playwright)
            rows = []
            for size in SIZES:
                trace_id = traces[size]
                ours_result = median_of(browser, f"{ours}&experiment_id={experiment_id}&trace_id={trace_id}",
                                         [ROOT_NAME, DEEP_NAME], RUNS)
                renderer = (f"{server.url}/static-files/lib/notebook-trace-renderer/index.html?trace_id={trace_id}"
                            f"&experiment_id={experiment_id}&version={mlflow.__version__}")
                theirs = median_of(browser, renderer, [ROOT_NAME, DEEP_NAME], RUNS if size <= 1_000 else 1)
                rows.append((size, ours_result, theirs))
                print(f"measured {size:,} spans", file=sys.stderr)
            table_ours = median_of(browser, f"{ours}&experiment_id={table_experiment}", [newest], RUNS)
            table_theirs = median_of(browser, f"{server.url}/#/experiments/{table_experiment}/traces", [newest], RUNS)
            browser.close()

    limit = f"> {LIMIT_S:.0f} s"
    print("| spans | viewer | server's answers in | root shown | deep span shown | main thread quiet | longest task "
          "| JS heap + wasm | DOM elements | static bytes | ratio (MLflow / this viewer, deep span shown) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, ours_result, theirs in rows:
        for label, result in (("this viewer", ours_result), ("MLflow renderer", theirs)):
            if result["timed_out"]:
                print(f"| {size:,} | {label} | | {limit} | {limit} | {limit} | | | | | |")
                continue
            ratio = ""
            if label == "MLflow renderer" and not ours_result["timed_out"]:
                ratio = f"{result['deep'] / ours_result['deep']:.1f}×"
            print(f"| {size:,} | {label} | {seconds(result['data'])} | {seconds(result['root'])} | {seconds(result['deep'])} | {seconds(result['quiet'])} "
                  f"| {seconds(result['longest'])} | {megabytes(result['heap'] + result['wasm'])} | {result['elements']:,.0f} "
                  f"| {static_bytes(result)} | {ratio} |")
    print()
    print(f"| trace table, {TABLE_TRACES:,} traces on the server | newest row shown | static bytes |")
    print("| --- | ---: | ---: |")
    for label, result in (("this viewer", table_ours), ("MLflow UI", table_theirs)):
        shown = limit if result["timed_out"] else seconds(result["root"])
        size = "" if result["timed_out"] else static_bytes(result)
        print(f"| {label} | {shown} | {size} |")
    if not table_ours["timed_out"] and not table_theirs["timed_out"]:
        print(f"\nMLflow UI / this viewer, table: {table_theirs['root'] / table_ours['root']:.1f}×")


if __name__ == "__main__":
    main()
