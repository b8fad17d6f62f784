"""Regenerates tests/fixtures/captured/: real responses of every trace-bearing endpoint, from a throwaway
MLflow server seeded through the SDK (the demo scenarios, plus one trace sent as OTLP/JSON).

    .venv/bin/python scripts/capture_fixtures.py

The native tests parse every file captured here. (tests/fixtures/mlflow/ holds a reference capture from an
MLflow 3.18 server whose concrete values the format tests check; it is not regenerated.)
"""

import json
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from demo.seed import seed  # noqa: E402
from mlflow_server import MlflowServer  # noqa: E402

TARGET = ROOT / "tests" / "fixtures" / "captured"


def request(method: str, url: str, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def main() -> None:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    with MlflowServer() as server:
        base = server.url
        experiment_id = seed(base, traces=12, days=1)
        otlp = json.loads((ROOT / "tests/fixtures/otlp/curl_chat.json").read_text())
        status, _ = request("POST", f"{base}/v1/traces", otlp, {"x-mlflow-experiment-id": experiment_id})
        assert status == 200, f"OTLP ingest answered {status}"

        def save(name: str, method: str, path: str, body=None) -> dict:
            status, payload = request(method, f"{base}{path}", body)
            assert status == 200, f"{name}: {method} {path} answered {status}: {payload}"
            (TARGET / f"{name}.json").write_text(json.dumps(payload, indent=1) + "\n")
            return payload

        locations = [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": experiment_id}}]
        found = save("traces_search_v3", "POST", "/api/3.0/mlflow/traces/search",
                     {"locations": locations, "max_results": 100, "order_by": ["timestamp_ms DESC"]})
        ids = [trace["trace_id"] for trace in found["traces"]]
        by_name = {trace.get("tags", {}).get("mlflow.traceName"): trace["trace_id"] for trace in found["traces"]}
        picks = {"agent": by_name.get("weather_agent"), "multimodal": by_name.get("vision_audio_chat"),
                 "rag": by_name.get("rag_pipeline"),
                 # OTLP traces carry their resource attributes as tags, but no trace name tag.
                 "otlp": next((trace["trace_id"] for trace in found["traces"]
                               if trace.get("tags", {}).get("service.name") == "curl-otlp"), None)}
        for label, trace_id in picks.items():
            if trace_id is None:
                continue
            save(f"traces_get_v3_{label}", "GET", f"/api/3.0/mlflow/traces/get?trace_id={trace_id}&allow_partial=true")
            save(f"trace_artifact_{label}", "GET", f"/ajax-api/3.0/mlflow/get-trace-artifact?request_id={trace_id}")
            save(f"trace_info_v3_{label}", "GET", f"/api/3.0/mlflow/traces/{trace_id}")
        save("traces_batch_get", "GET", "/api/3.0/mlflow/traces/batchGet?" + "&".join(f"trace_ids={i}" for i in ids[:3]))
        save("traces_batch_get_infos", "POST", "/api/3.0/mlflow/traces/batchGetInfos", {"trace_ids": ids[:5]})
        save("traces_search_v2", "GET", f"/api/2.0/mlflow/traces?experiment_ids={experiment_id}&max_results=5")
    print(f"captured {len(list(TARGET.iterdir()))} responses into {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
