"""`trace-viewer serve` as a boundary, tried as an attacker would: the installed wheel in front of MLflow's
sign-in app (`--app-name basic-auth`) holding an admin's credentials, driven by Chromium and by plain requests.
It answers only its own host names, only callers holding its token, only the endpoints the viewer calls, and
nothing it forwards runs as a page. The shared mode passes each browser's own sign-in instead."""

import base64
import contextlib
import http.server
import json
import socket
import threading
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import SITE, Viewer
from mlflow_server import MlflowServer, free_port
from test_package import ADMIN_PASSWORD, CREDENTIALS, serving

ATTACKER = f"attacker.{SITE}"


def as_user(username: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def mlflow_call(server_url: str, path: str, body: dict | None, user=("admin", ADMIN_PASSWORD), method: str = "POST") -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server_url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **as_user(*user)})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read()
        return json.loads(text) if text else {}


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    """MLflow's sign-in app where users see only what they were given (default permission NO_PERMISSIONS), with
    the artifact proxy on; two users, alice and bob, each with an experiment of their own and a trace in it."""
    folder = tmp_path_factory.mktemp("auth")
    config = folder / "basic_auth.ini"
    config.write_text("[mlflow]\ndefault_permission = NO_PERMISSIONS\n"
                      f"database_uri = sqlite:///{folder}/basic_auth.db\nadmin_username = admin\n"
                      f"admin_password = {ADMIN_PASSWORD}\n"
                      "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n")
    env = {"MLFLOW_AUTH_CONFIG_PATH": str(config), "MLFLOW_FLASK_SERVER_SECRET_KEY": "e2e-csrf-secret"}
    extra = ["--artifacts-destination", str(folder / "proxied-artifacts")]
    with MlflowServer(app_name="basic-auth", env=env, extra_args=extra) as server:
        users = {"alice": "alice-Passw0rd-2026", "bob": "bob-Passw0rd-2026"}
        experiments = {}
        for name, password in users.items():
            mlflow_call(server.url, "/api/2.0/mlflow/users/create", {"username": name, "password": password})
            created = mlflow_call(server.url, "/api/2.0/mlflow/experiments/create", {"name": f"{name}-agent"}, (name, password))
            experiments[name] = created["experiment_id"]
        yield server, users, experiments


def test_a_name_rebound_to_this_machine_reaches_nothing(browser, installed, private_server):
    """DNS rebinding: a page at attacker.<SITE>, which resolves to 127.0.0.1, on serve's port. The browser
    counts it as the attacker's own origin, so the same-origin checks would pass; the Host check does not."""
    server, _, _ = private_server
    with serving(installed, server.url, CREDENTIALS) as served:
        port = served.url.rsplit(":", 1)[1]
        page = browser.new_context().new_page()
        answer = page.goto(f"http://{ATTACKER}:{port}/")
        assert answer.status == 403
        expect(page.locator("body")).to_contain_text("answers only its own host names")
        # The attacker's own page, served before the name was rebound, keeps running its script (stood in for by
        # a context that ignores the refusal's sandbox): it asks its own origin, now this machine, holding the
        # token even.
        page.context.close()
        page = browser.new_context(bypass_csp=True).new_page()
        page.goto(f"http://{ATTACKER}:{port}/")
        statuses = page.evaluate("""async ([token]) => {
            const ask = (path, init) => fetch(path, init).then(answer => answer.status);
            return [await ask('/api/2.0/mlflow/experiments/search?max_results=1', {headers: {'X-Trace-Viewer-Token': token}}),
                    await ask('/api/2.0/mlflow/experiments/search', {method: 'POST', body: '{}',
                              headers: {'X-Trace-Viewer-Token': token, 'Content-Type': 'application/json'}}),
                    await ask('/', {})];
        }""", [served.token])
        assert statuses == [403, 403, 403]
        page.context.close()
        # And as a script would send it.
        assert served.request("/api/2.0/mlflow/experiments/search?max_results=1", headers={"Host": f"{ATTACKER}:{port}"})[0] == 403
        assert served.request("/", headers={"Host": f"{ATTACKER}:{port}"})[0] == 403


def test_the_printed_link_opens_the_viewer_and_nothing_works_without_it(viewer, installed, private_server):
    server, _, _ = private_server
    with serving(installed, server.url, CREDENTIALS) as served:
        assert served.token and len(served.token) >= 24
        page = viewer.page
        page.goto(served.link)
        # The token became a cookie; the address no longer holds it.
        assert "token=" not in page.url
        expect(page.get_by_role("button", name="alice-agent")).to_be_visible()
        cookie = next(cookie for cookie in page.context.cookies() if cookie["name"].startswith("trace-viewer-token"))
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        # Without the token: the page, config.json and the API are refused, and say how to get in.
        for path in ("/", "/config.json", "/api/2.0/mlflow/experiments/search?max_results=1"):
            status, _, body = served.request(path, with_token=False)
            assert status == 401, path
            assert b"printed" in body
        assert served.request("/?token=wrong", with_token=False)[0] == 401
        assert served.request("/api/2.0/mlflow/experiments/search?max_results=1", headers={"X-Trace-Viewer-Token": "wrong"})[0] == 401
        fresh = viewer.page.context.browser.new_context().new_page()
        assert fresh.goto(served.url + "/").status == 401
        fresh.context.close()


def test_the_viewers_own_page_cannot_reach_what_the_viewer_never_calls(viewer, installed, private_server):
    """Signed in as MLflow's admin through serve, a script on the viewer's own page (say, injected) cannot
    create users, make admins or reach the artifact store: only the viewer's endpoints are forwarded."""
    server, _, _ = private_server
    with serving(installed, server.url, CREDENTIALS) as served:
        viewer.page.goto(served.link)
        expect(viewer.page.get_by_role("button", name="alice-agent")).to_be_visible()
        statuses = viewer.page.evaluate("""async () => {
            const post = (path, body) => fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'},
                                                    body: JSON.stringify(body)}).then(answer => answer.status);
            return [await post('/api/2.0/mlflow/users/create', {username: 'mallory', password: 'mallory-Passw0rd-1'}),
                    await post('/ajax-api/2.0/mlflow/users/create', {username: 'mallory', password: 'mallory-Passw0rd-1'}),
                    await post('/api/2.0/mlflow/users/update-admin', {username: 'alice', is_admin: true}),
                    await fetch('/api/2.0/mlflow-artifacts/artifacts').then(answer => answer.status)];
        }""")
        assert statuses == [404, 404, 404, 404]
    status = 200
    try:
        mlflow_call(server.url, "/api/2.0/mlflow/users/get?username=mallory", None, method="GET")
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 404, "the user was created"


def test_a_stored_html_artifact_does_not_run_through_serve(browser, installed, private_server):
    """An HTML artifact in MLflow's artifact store (uploaded through its proxy) whose script would set a
    marker: opened through serve it is neither forwarded nor run; and whatever serve does forward cannot
    become a page (navigations to the API refused, answers sandboxed and never sniffed)."""
    server, _, experiments = private_server
    html = b"<html><body><script>document.title = 'RAN'; localStorage.setItem('ran', '1')</script>stored</body></html>"
    artifact = f"/api/2.0/mlflow-artifacts/artifacts/{experiments['alice']}/page.html"
    request = urllib.request.Request(server.url + artifact, data=html, method="PUT",
                                     headers={"Content-Type": "text/html", **as_user("admin", ADMIN_PASSWORD)})
    urllib.request.urlopen(request, timeout=30).read()
    with serving(installed, server.url, CREDENTIALS) as served:
        context = browser.new_context()
        page = context.new_page()
        page.goto(served.link)
        expect(page.get_by_role("button", name="alice-agent")).to_be_visible()
        for path in (artifact, "/api/2.0/mlflow/experiments/search?max_results=1", "/ajax-api/3.0/mlflow/get-trace-artifact?request_id=tr-1"):
            answer = page.goto(served.url + path)
            assert answer.status in (403, 404), path
            assert page.title() != "RAN" and "stored" not in page.content()
        context.close()
        status, headers, _ = served.request("/api/2.0/mlflow/experiments/search?max_results=1")
        assert status == 200
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["content-security-policy"] == "sandbox; default-src 'none'"


def test_only_its_own_origin_and_the_allowed_embedders_may_frame_it(installed):
    with serving(installed, None, {}) as served:
        _, headers, _ = served.request("/")
        assert headers["content-security-policy"] == "frame-ancestors 'self'"
        assert headers["x-content-type-options"] == "nosniff"
    with serving(installed, None, {}, "--embedders", "https://dashboard.example.com") as served:
        _, headers, config = served.request("/")
        assert headers["content-security-policy"] == "frame-ancestors 'self' https://dashboard.example.com"
        assert json.loads(served.request("/config.json")[2])["embedders"] == ["https://dashboard.example.com"]


def test_bad_requests_get_clear_refusals(installed, private_server):
    server, _, _ = private_server
    with serving(installed, server.url, CREDENTIALS) as served:
        search = "/api/2.0/mlflow/experiments/search"
        for path in ("/api/2.0/mlflow/%2e%2e/%2e%2e/health", "/api/3.0/mlflow/traces/%252e%252e", "/api/3.0/mlflow/traces/tr%00x",
                     "/api/3.0/mlflow/traces/%5C..%5Cx"):
            status, _, body = served.request(path)
            assert status == 400, path
            assert json.loads(body)["error_code"] == "INVALID_PARAMETER_VALUE"
        # A body over the cap is refused as soon as its length is said (the rest is never read).
        with socket.create_connection(("127.0.0.1", int(served.url.rsplit(":", 1)[1]))) as connection:
            connection.sendall(f"POST {search} HTTP/1.1\r\nHost: 127.0.0.1:{served.url.rsplit(':', 1)[1]}\r\nX-Trace-Viewer-Token: {served.token}\r\n"
                               f"Content-Type: application/json\r\nContent-Length: {101 * 1024 * 1024}\r\n\r\n{{".encode())
            connection.settimeout(10)
            answer = b""
            while b"over 100 MB" not in answer and (chunk := connection.recv(65536)):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 413") and b"over 100 MB" in answer, answer[:300]
        status, _, body = served.request("/api/2.0/mlflow/users/list")
        assert status == 404 and json.loads(body)["error_code"] == "ENDPOINT_NOT_FOUND"


def test_a_password_in_the_tracking_uri_works_and_is_never_echoed(viewer, installed, private_server):
    server, _, _ = private_server
    with_password = server.url.replace("http://", f"http://admin:{ADMIN_PASSWORD}@")
    with serving(installed, with_password, {}) as served:
        viewer.page.goto(served.link)
        expect(viewer.page.get_by_role("button", name="bob-agent")).to_be_visible()
    down = f"http://admin:{ADMIN_PASSWORD}@127.0.0.1:{free_port()}"
    with serving(installed, down, {}) as served:
        status, _, body = served.request("/api/2.0/mlflow/experiments/search?max_results=1")
        assert status == 502 and ADMIN_PASSWORD.encode() not in body and b"did not answer" in body
    # (serving() asserts the password is in none of the output either.)


def test_it_refuses_to_start_where_it_would_lend_the_identity_too_widely(installed, private_server):
    import subprocess

    server, _, _ = private_server

    def refusal(*args: str, env: dict | None = None) -> str:
        run = subprocess.run([installed, "serve", "--port", str(free_port()), *args], env={**(env or {}), "PATH": "/usr/bin"},
                             capture_output=True, text=True, timeout=30)
        assert run.returncode != 0
        return run.stderr

    assert "--allow-remote" in refusal("--host", "0.0.0.0", "--tracking-uri", server.url)
    plain = refusal("--tracking-uri", "http://mlflow.example.com", env=CREDENTIALS)
    assert "--allow-plain-http" in plain and ADMIN_PASSWORD not in plain
    assert "unset the configured credentials" in refusal("--forward-sign-in", "--tracking-uri", server.url, env=CREDENTIALS)


def test_the_shared_mode_shows_each_user_only_their_own_experiments(browser, installed, private_server):
    """`--forward-sign-in`: no identity configured; each browser's own sign-in to MLflow goes on, so alice sees
    her experiment and not bob's, and bob the reverse; a browser without one gets MLflow's sign-in prompt."""
    server, users, _ = private_server
    with serving(installed, server.url, {}, "--forward-sign-in") as served:
        assert served.token is None
        for name, other in (("alice", "bob"), ("bob", "alice")):
            context = browser.new_context(http_credentials={"username": name, "password": users[name]})
            page = context.new_page()
            page.goto(served.link)
            expect(page.get_by_role("button", name=f"{name}-agent")).to_be_visible()
            expect(page.get_by_role("button", name=f"{other}-agent")).to_have_count(0)
            context.close()
        status, headers, _ = served.request("/api/2.0/mlflow/experiments/search?max_results=1")
        assert status == 401 and "Basic" in headers.get("www-authenticate", "")


@contextlib.contextmanager
def workspace_stand_in(token: str):
    """A stand-in for a Databricks workspace: answers every path with an empty JSON object when the bearer
    token is right, and records each path it was asked for."""
    asked: list[str] = []

    class Workspace(http.server.BaseHTTPRequestHandler):
        def answer(self):
            asked.append(self.path.split("?")[0])
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            ok = self.headers.get("Authorization") == f"Bearer {token}"
            body = b'{"experiments": []}' if ok else b'{"error_code": "UNAUTHENTICATED"}'
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = answer

        def log_message(self, *args):
            pass

    stand_in = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Workspace)
    threading.Thread(target=stand_in.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{stand_in.server_address[1]}", asked
    finally:
        stand_in.shutdown()


def test_a_databricks_workspace_receives_only_the_viewers_endpoints(viewer, installed):
    with workspace_stand_in("dapi-e2e-789") as (workspace, asked), serving(
        installed, "databricks", {"DATABRICKS_HOST": workspace, "DATABRICKS_TOKEN": "dapi-e2e-789"}
    ) as served:
        viewer.page.goto(served.link)
        expect(viewer.page.locator(".experiment-picker, .error-panel, .empty-state").first).to_be_visible()
        for method, path in (("POST", "/api/2.0/token/create"), ("GET", "/api/2.0/secrets/list"), ("POST", "/api/2.1/jobs/runs/submit"),
                             ("GET", "/api/2.0/workspace/list"), ("POST", "/api/2.0/mlflow/experiments/create")):
            assert served.request(path, method, {"Content-Type": "application/json"}, b"{}")[0] == 404, path
        assert asked, "the viewer's own requests reached the workspace"
        assert set(asked) <= {"/api/2.0/mlflow/experiments/search"}, asked


def test_through_the_printed_link_a_users_traces_are_listed(viewer, installed, private_server):
    """Signed in as alice (her variables), serve lists her experiment's trace."""
    server, users, experiments = private_server
    import mlflow

    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(server.url)
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("MLFLOW_TRACKING_USERNAME", "alice")
            env.setenv("MLFLOW_TRACKING_PASSWORD", users["alice"])
            mlflow.set_experiment(experiment_id=experiments["alice"])
            with mlflow.start_span(name="alice_turn") as span:
                span.set_inputs({"question": "hello"})
            mlflow.flush_trace_async_logging()
    finally:
        mlflow.set_tracking_uri(previous)
    with serving(installed, server.url, {"MLFLOW_TRACKING_USERNAME": "alice", "MLFLOW_TRACKING_PASSWORD": users["alice"]}) as served:
        viewer.page.goto(served.link)
        viewer.page.get_by_role("button", name="alice-agent").click()
        Viewer(viewer.page, 0).wait_for_rows(1)
        expect(viewer.rows().first).to_contain_text("alice_turn")
