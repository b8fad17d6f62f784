"""Rebuilds demo/traces.json, the demo data set the viewer opens by default.

Starts a throwaway MLflow server, logs the demo through the SDK with media kept inline (so that images and
audio render with no server), and exports every trace as Trace.to_json():

    .venv/bin/python scripts/demo/build_demo.py
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from mlflow_server import MlflowServer  # noqa: E402
from demo.seed import export, seed  # noqa: E402


def main() -> None:
    target = ROOT / "demo" / "traces.json"
    with MlflowServer() as server:
        experiment_id = seed(server.url, extract_attachments=False)
        count = export(server.url, experiment_id, str(target))
    print(f"wrote {count} traces to {target.relative_to(ROOT)} ({target.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
