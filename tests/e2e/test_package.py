"""The viewer as a user installs it: the wheel built by scripts/build_wheel.sh, installed into a fresh virtual
environment, `trace-viewer serve` run with only that environment on PATH (no cargo, trunk or node), in front of
MLflow's own sign-in app (`mlflow server --app-name basic-auth`) with the credentials in MLflow's variables."""

import contextlib
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from dataclasses import dataclass
from playwright.sync_api import expect

from conftest import DIST, ROOT, SITE
from mlflow_server import MlflowServer, free_port

ADMIN_PASSWORD = "e2e-Admin-Passw0rd-2026"
CREDENTIALS = {"MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": ADMIN_PASSWORD}


@pytest.fixture(scope="module")
def other_origin_port() -> int:
    """The port of the viewer on another origin of the server's site (`http://viewer.<SITE>:<port>`), which the
    signed-in server allows."""
    return free_port()


@pytest.fixture(scope="module")
def signed_in_server(other_origin_port):
    """MLflow's basic-auth app with an admin password, seeded through the SDK signed in as admin; also reachable
    as mlflow.<SITE>, where it allows credentialed requests from the viewer at viewer.<SITE>:<other_origin_port>."""
    from demo.seed import seed

    env = {"MLFLOW_AUTH_ADMIN_PASSWORD": ADMIN_PASSWORD, "MLFLOW_FLASK_SERVER_SECRET_KEY": "e2e-csrf-secret",
           "MLFLOW_SERVER_ALLOWED_HOSTS": f"mlflow.{SITE}:*,127.0.0.1:*,localhost:*"}
    with MlflowServer(app_name="basic-auth", env=env, cors_origins=f"http://viewer.{SITE}:{other_origin_port}") as server:
        kept = {name: os.environ.get(name) for name in CREDENTIALS}
        os.environ.update(CREDENTIALS)
        try:
            experiment_id = seed(server.url, experiment="signed-in", traces=6, days=1)
            import mlflow

            count = len(mlflow.MlflowClient(server.url).search_traces(locations=[experiment_id], max_results=100))
        finally:
            for name, value in kept.items():
                os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
        yield server, experiment_id, count


@dataclass
class Served:
    """`trace-viewer serve` running: its address, the link it printed (with its token), and the token."""

    url: str
    link: str
    token: str | None
    output: list[str]

    def request(self, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None,
                with_token: bool = True):
        """Status, headers (names in any case) and body of a request as a script sends it (the token as a header)."""
        headers = {**({"X-Trace-Viewer-Token": self.token} if with_token and self.token else {}), **(headers or {})}
        request = urllib.request.Request(self.url + path, method=method, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


@contextlib.contextmanager
def serving(command: str, tracking_uri: str | None, env: dict, *options: str):
    """`trace-viewer serve` on a free port, with nothing on PATH but its own environment."""
    port = free_port()
    args = [command, "serve", "--port", str(port), *options] + (["--tracking-uri", tracking_uri] if tracking_uri else [])
    process = subprocess.Popen(args, env={"PATH": os.path.dirname(command), "HOME": os.environ.get("HOME", "/tmp"), **env},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output: list[str] = []
    try:
        first = process.stdout.readline()
        output.append(first)
        assert first.startswith("trace-viewer: open http://127.0.0.1:"), first + process.stdout.read()
        link = first.split("open ", 1)[1].strip()
        token = link.split("token=", 1)[1] if "token=" in link else None
        served = Served(f"http://127.0.0.1:{port}", link, token, output)
        deadline = time.time() + 30
        while True:
            try:
                served.request("/config.json")
                break
            except OSError:
                assert process.poll() is None and time.time() < deadline, "no answer"
                time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        output.append(process.communicate(timeout=10)[0])
        assert ADMIN_PASSWORD not in "".join(output), "a credential was logged"
        assert "Traceback" not in "".join(output), "".join(output)


def test_the_installed_wheel_serves_a_signed_in_tracking_server(viewer, installed, signed_in_server):
    import mlflow

    server, experiment_id, count = signed_in_server
    with serving(installed, server.url, CREDENTIALS) as served:
        page = viewer.page
        page.goto(served.link)
        page.get_by_role("button", name="signed-in").click()
        viewer.wait_for_rows(count)
        # A trace, a tag written through the proxy with the process's credentials, the overview.
        trace_id = viewer.listed_ids()[0]
        page.locator(".trace-row .open-trace").first.click()
        expect(page.locator(".span-row").first).to_be_visible()
        tags = page.get_by_label("Tags")
        tags.get_by_label("New tag key").fill("reviewed")
        tags.get_by_label("New tag value").fill("yes")
        tags.get_by_role("button", name="Add tag").click()
        expect(tags.locator(".tag[data-tag-key=reviewed]")).to_be_visible()
        os.environ.update(CREDENTIALS)
        try:
            assert mlflow.MlflowClient(server.url).get_trace(trace_id).info.tags.get("reviewed") == "yes"
        finally:
            for name in CREDENTIALS:
                os.environ.pop(name, None)
        page.get_by_role("link", name="Overview").click()
        card = page.locator(".stat-card", has=page.locator(".stat-label", has_text="Requests")).locator(".stat-value")
        expect(card).to_have_text(str(count))
        # The browser never held the credentials.
        assert ADMIN_PASSWORD not in page.content() and ADMIN_PASSWORD not in page.url
        assert not viewer.console_errors, viewer.console_errors
        # Answers are compressed for the browser.
        _, headers, _ = served.request("/api/2.0/mlflow/experiments/search?max_results=10", headers={"Accept-Encoding": "gzip"})
        assert headers.get("Content-Encoding") == "gzip"


def test_a_wrong_password_says_which_variable_to_set(viewer, installed, signed_in_server):
    server, _, _ = signed_in_server
    with serving(installed, server.url, {**CREDENTIALS, "MLFLOW_TRACKING_PASSWORD": "wrong"}) as served:
        viewer.page.goto(served.link)
        panel = viewer.page.locator(".error-panel")
        expect(panel).to_contain_text("401")
        expect(panel).to_contain_text("MLFLOW_TRACKING_PASSWORD")


def test_a_tracking_server_that_is_down_is_said(viewer, installed):
    with serving(installed, f"http://127.0.0.1:{free_port()}", {}) as served:
        viewer.page.goto(served.link)
        expect(viewer.page.locator(".error-panel")).to_contain_text("did not answer", timeout=30_000)


def test_without_a_tracking_server_it_serves_the_demo(viewer, installed):
    import json

    demo = json.loads((ROOT / "demo" / "traces.json").read_text())
    with serving(installed, None, {}) as served:
        viewer.page.goto(served.link)
        viewer.wait_for_rows(len(demo))


def test_behind_nginx_the_browsers_own_sign_in_reaches_the_traces(browser, signed_in_server, tmp_path):
    """The static deployment (deploy/nginx.conf) in front of MLflow's sign-in app: the browser's credentials for
    that origin go with the viewer's requests. A browser with none shows its own sign-in prompt (MLflow asks
    with WWW-Authenticate); one whose sign-in is refused gets the 401, and the viewer says where to sign in."""
    from conftest import Viewer
    from test_deploy import running_nginx

    server, _, count = signed_in_server
    with running_nginx(server.url, tmp_path) as nginx:
        signed_in = browser.new_context(http_credentials={"username": "admin", "password": ADMIN_PASSWORD})
        page = signed_in.new_page()
        page.goto(f"{nginx}/trace-viewer/")
        page.get_by_role("button", name="signed-in").click()
        Viewer(page, 0).wait_for_rows(count)
        signed_in.close()

        refused = browser.new_context(http_credentials={"username": "admin", "password": "not the password"})
        page = refused.new_page()
        page.goto(f"{nginx}/trace-viewer/?server={nginx}")
        panel = page.locator(".error-panel")
        expect(panel).to_contain_text("The server answered 401")
        expect(panel).to_contain_text(f"Sign in to {nginx} in this browser")
        refused.close()


@contextlib.contextmanager
def site_with_config(port: int, config: dict):
    """The release build served as http://viewer.<SITE>:<port>/ with `config` as its config.json."""
    import functools
    import http.server
    import json
    import threading

    class Site(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/config.json":
                return super().do_GET()
            body = json.dumps(config).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Site, directory=str(DIST)))
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://viewer.{SITE}:{port}/"
    finally:
        site.shutdown()
        site.server_close()


def test_config_json_credentials_include_signs_in_to_a_server_on_another_origin(browser, signed_in_server, other_origin_port):
    """config.json's `"credentials": "include"`: the viewer at viewer.<SITE>, MLflow's sign-in app at
    mlflow.<SITE>, which allows it (credentialed CORS). A user signed in to the server in this browser (its own
    prompt, in a tab, as the viewer's 401 message says) sees the traces; without the setting, the same browser
    gets the 401 and is told what to set. (Browsers keep an HTTP sign-in per top-level site, so it reaches
    another origin of the same site, as here, not another site; a cookie sign-in set for cross-site use does.)"""
    from conftest import Viewer

    server, experiment_id, count = signed_in_server
    server_url = server.url.replace("127.0.0.1", f"mlflow.{SITE}")
    config = {"server": server_url, "experiment_ids": [experiment_id]}

    def signed_in_page():
        context = browser.new_context(http_credentials={"username": "admin", "password": ADMIN_PASSWORD})
        page = context.new_page()
        # Signing in in a tab: the browser answers MLflow's prompt and keeps the sign-in for that origin.
        assert page.goto(f"{server_url}/").status == 200
        return context, page

    with site_with_config(other_origin_port, {**config, "credentials": "include"}) as site:
        context, page = signed_in_page()
        page.goto(site)
        Viewer(page, other_origin_port).wait_for_rows(count)
        context.close()
    with site_with_config(other_origin_port, config) as site:
        context, page = signed_in_page()
        page.goto(site)
        panel = page.locator(".error-panel")
        expect(panel).to_contain_text("The server answered 401")
        expect(panel).to_contain_text('''only when its config.json says "credentials": "include"''')
        context.close()


@contextlib.contextmanager
def bearer_gate(upstream: str, token: str):
    """A gateway in front of a tracking server that lets through only requests with `Authorization: Bearer
    <token>` (401 otherwise), as token-protected deployments do; yields its URL."""
    import http.server
    import threading

    class Gate(http.server.BaseHTTPRequestHandler):
        def forward(self):
            if self.headers.get("Authorization") != f"Bearer {token}":
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error_code": "UNAUTHENTICATED", "message": "a bearer token is required"}')
                return
            length = int(self.headers.get("Content-Length") or 0)
            request = urllib.request.Request(upstream + self.path, data=self.rfile.read(length) if length else None,
                                             method=self.command, headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
            try:
                with urllib.request.urlopen(request) as answer:
                    status, body, kind = answer.status, answer.read(), answer.headers.get("Content-Type", "application/json")
            except urllib.error.HTTPError as error:
                status, body, kind = error.code, error.read(), error.headers.get("Content-Type", "application/json")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_DELETE = forward

        def log_message(self, *args):
            pass

    gate = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Gate)
    threading.Thread(target=gate.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{gate.server_address[1]}"
    finally:
        gate.shutdown()


def test_a_bearer_token_reaches_a_token_protected_server(viewer, installed, seeded):
    with bearer_gate(seeded.url, "e2e-token-123") as gate, serving(installed, gate, {"MLFLOW_TRACKING_TOKEN": "e2e-token-123"}) as served:
        viewer.page.goto(served.link)
        viewer.page.get_by_role("button", name="demo-agent").click()
        viewer.wait_for_rows(len(seeded.trace_ids))
        assert "e2e-token-123" not in viewer.page.content()


def test_a_databricks_tracking_uri_takes_its_host_and_token_from_databricks_variables(viewer, installed, seeded):
    """`--tracking-uri databricks`: the host from DATABRICKS_HOST, its token from DATABRICKS_TOKEN (a gateway
    standing in for the workspace lets through only that token)."""
    with bearer_gate(seeded.url, "dapi-e2e-456") as gate, serving(
        installed, "databricks", {"DATABRICKS_HOST": gate, "DATABRICKS_TOKEN": "dapi-e2e-456"}
    ) as served:
        viewer.page.goto(served.link)
        viewer.page.get_by_role("button", name="demo-agent").click()
        viewer.wait_for_rows(len(seeded.trace_ids))
        assert "dapi-e2e-456" not in viewer.page.content()


def test_mlflow_workspace_opens_that_workspaces_experiments(viewer, installed):
    """MLFLOW_WORKSPACE on a server with workspaces on: the viewer lists that workspace's experiments and traces,
    and without it the default workspace's."""
    import mlflow

    with MlflowServer(extra_args=["--enable-workspaces"]) as server:
        mlflow.set_tracking_uri(server.url)
        mlflow.create_workspace("team-a")
        mlflow.set_workspace("team-a")
        try:
            mlflow.set_experiment("team-a-agent")
            with mlflow.start_span(name="team_a_turn"):
                pass
            mlflow.flush_trace_async_logging()
        finally:
            mlflow.set_workspace(None)
        with serving(installed, server.url, {"MLFLOW_WORKSPACE": "team-a"}) as served:
            viewer.page.goto(served.link)
            viewer.page.get_by_role("button", name="team-a-agent").click()
            viewer.wait_for_rows(1)
            expect(viewer.rows().first).to_contain_text("team_a_turn")
        with serving(installed, server.url, {}) as served:
            viewer.page.goto(served.link)
            expect(viewer.page.locator(".experiment-picker, .error-panel").first).to_be_visible()
            expect(viewer.page.get_by_role("button", name="team-a-agent")).to_have_count(0)


def test_only_the_viewers_own_page_may_use_the_servers_credentials(installed, signed_in_server):
    """A page on another site could make the browser post to `trace-viewer serve` (a write needs no CORS when
    its answer is never read): such requests, and paths with `..`, are refused before any credential is added."""
    server, experiment_id, _ = signed_in_server
    with serving(installed, server.url, CREDENTIALS) as served:
        def status(path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None) -> int:
            return served.request(path, method, headers, body)[0]

        search = "/api/2.0/mlflow/experiments/search?max_results=1"
        assert status(search) == 200, "a script with the token (curl) is served"
        assert status(search, headers={"Sec-Fetch-Site": "same-origin"}) == 200
        assert status(search, headers={"Sec-Fetch-Site": "cross-site"}) == 403
        delete = "/api/3.0/mlflow/traces/delete-traces"
        body = f'{{"experiment_id": "{experiment_id}", "max_timestamp_millis": 9999999999999}}'.encode()
        assert status(delete, "POST", {"Origin": "http://evil.example", "Content-Type": "text/plain"}, body) == 403
        assert status(delete, "POST", {"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}, body) == 403
        assert status("/api/2.0/mlflow/../../health") in (400, 404), "no path past the REST API"
        assert status("/api/2.0/mlflow/%2E%2E/%2E%2E/health") == 400
