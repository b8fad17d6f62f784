"""Starts a real MLflow tracking server on 127.0.0.1 with a throwaway sqlite store.

Used by the demo data set builder and the end-to-end tests; also runnable by hand to try the viewer
against a live server:

    .venv/bin/python scripts/mlflow_server.py --port 5000 --seed

The server runs in its own process group so that stopping it also stops its workers.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MlflowServer:
    """A context manager: `with MlflowServer() as server: server.url`."""

    def __init__(self, port: int | None = None, cors_origins: str | None = None, data_dir: str | None = None,
                 app_name: str | None = None, env: dict | None = None, extra_args: list[str] | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cors_origins = cors_origins
        self._own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="trace-viewer-mlflow-")
        self.process: subprocess.Popen | None = None
        self.log_path = Path(self.data_dir) / "server.log"
        # `basic-auth` for MLflow's own sign-in (its admin password from `env`'s MLFLOW_AUTH_ADMIN_PASSWORD).
        self.app_name = app_name
        self.env = env or {}
        # More `mlflow server` options, e.g. ["--enable-workspaces"].
        self.extra_args = extra_args or []

    def start(self, timeout: float = 120.0) -> "MlflowServer":
        command = [
            str(VENV_BIN / "mlflow"), "server",
            "--host", "127.0.0.1", "--port", str(self.port),
            "--backend-store-uri", f"sqlite:///{self.data_dir}/mlflow.db",
            "--default-artifact-root", f"{self.data_dir}/artifacts",
            "--workers", "2",
        ]
        if self.cors_origins:
            command += ["--cors-allowed-origins", self.cors_origins]
        if self.app_name:
            command += ["--app-name", self.app_name]
        command += self.extra_args
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, **self.env}, cwd=self.data_dir)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mlflow server exited early; log:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.read().strip() == b"OK":
                        return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"mlflow server did not answer /health within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._own_dir:
            subprocess.run(["rm", "-rf", self.data_dir], check=False)

    def __enter__(self) -> "MlflowServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--seed", action="store_true", help="log the demo data set into it through the SDK")
    parser.add_argument("--cors-allowed-origins", help="origins besides localhost that may call the API")
    args = parser.parse_args()
    with MlflowServer(port=args.port, cors_origins=args.cors_allowed_origins) as server:
        print(f"MLflow tracking server on {server.url} (data in {server.data_dir})", flush=True)
        if args.seed:
            sys.path.insert(0, str(Path(__file__).parent))
            from demo.seed import seed

            experiment_id = seed(server.url)
            print(f"seeded experiment {experiment_id}", flush=True)
        print("Ctrl-C stops it.", flush=True)
        try:
            while server.process.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
