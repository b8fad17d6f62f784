"""A tracking server that fails the way real ones do: down when the page opens, stopped and restarted while
the user works, slow, answering 5xx with and without MLflow's error body, answering something that is not
JSON, a trace deleted by someone else while it is open. A real MLflow server of this module's own (so it can
be stopped) sits behind a small proxy that the tests control (fault_proxy.py). Each case checks the message
in place, that reads are tried again (by the viewer, then by the user's Try again), that writes are never
repeated behind the user's back, and that nothing typed is lost."""

import json

import pytest
from playwright.sync_api import expect

from conftest import eventually
from fault_proxy import FaultProxy

TRACES = 6
# MLflow's error body, as its server sends it.
UNAVAILABLE = json.dumps({"error_code": "TEMPORARILY_UNAVAILABLE", "message": "The backend store is restarting."})
INTERNAL = json.dumps({"error_code": "INTERNAL_ERROR", "message": "database is locked"})


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """(server, proxy, experiment id, trace ids, newest first)."""
    import mlflow

    from demo.seed import seed
    from mlflow_server import MlflowServer

    # Its own data folder, so that stopping the server keeps the store for the restart.
    server = MlflowServer(data_dir=str(tmp_path_factory.mktemp("faults-mlflow"))).start()
    tracking_uri = mlflow.get_tracking_uri()
    try:
        experiment_id = seed(server.url, experiment="faults", traces=TRACES, days=1)
        found = mlflow.MlflowClient(server.url).search_traces(locations=[experiment_id], max_results=100)
    finally:
        mlflow.set_tracking_uri(tracking_uri)  # the session's other tests use their own server
    proxy = FaultProxy(server.url).up()
    yield server, proxy, experiment_id, [trace.info.trace_id for trace in found]
    proxy.down()
    server.stop()


@pytest.fixture
def proxy(faulty):
    """The proxy, with no fault left over from another test."""
    _, proxy, _, _ = faulty
    if not proxy.listening:
        proxy.up()
    proxy.answer_delay = proxy.body_delay = 0.0
    proxy._faults.clear()
    proxy.requests.clear()
    return proxy


def test_a_server_down_when_the_page_opens_is_said_and_tried_again(viewer, faulty, proxy):
    _, _, experiment_id, ids = faulty
    proxy.down()
    page = viewer.open(server=proxy.url, experiment_id=experiment_id)
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text("Could not load traces")
    expect(panel).to_contain_text(f"Could not reach {proxy.url}/api/3.0/mlflow/traces/search")
    expect(panel).to_contain_text("The server may be down")

    proxy.up()
    panel.get_by_role("button", name="Try again").click()
    viewer.wait_for_rows(len(ids))


def test_a_passing_failure_is_retried_without_the_user(viewer, faulty, proxy):
    _, _, experiment_id, ids = faulty
    proxy.fail_next("/traces/search", 2, 503, UNAVAILABLE)
    viewer.open(server=proxy.url, experiment_id=experiment_id)
    viewer.wait_for_rows(len(ids))
    assert proxy.count("POST", "/traces/search") == 3, proxy.requests


def test_a_failure_that_lasts_shows_mlflows_message_and_a_retry(viewer, faulty, proxy):
    _, _, experiment_id, ids = faulty
    proxy.fail_next("/traces/search", 3, 503, UNAVAILABLE)
    page = viewer.open(server=proxy.url, experiment_id=experiment_id)
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text("The server answered 503 TEMPORARILY_UNAVAILABLE: The backend store is restarting.")
    assert proxy.count("POST", "/traces/search") == 3, "three attempts, then the user is told"
    panel.get_by_role("button", name="Try again").click()
    viewer.wait_for_rows(len(ids))


def test_a_server_error_is_not_retried_and_says_what_the_server_said(viewer, faulty, proxy):
    _, _, experiment_id, ids = faulty
    proxy.fail_next("/get-trace-artifact", 1, 500, INTERNAL)
    page = viewer.open(server=proxy.url, experiment_id=experiment_id, trace_id=ids[0])
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text("Could not load this trace")
    expect(panel).to_contain_text("The server answered 500 INTERNAL_ERROR: database is locked")
    assert proxy.count("GET", "/get-trace-artifact") == 1

    # Without MLflow's body, the status still says what happened.
    proxy.fail_next("/get-trace-artifact", 3, 502, "<html><h1>Bad Gateway</h1></html>", "text/html")
    panel.get_by_role("button", name="Try again").click()
    expect(panel).to_contain_text("The server answered 502: the server is unavailable right now")
    panel.get_by_role("button", name="Try again").click()
    expect(page.locator(".span-row").first).to_be_visible()


def test_an_answer_that_is_not_json_is_named(viewer, faulty, proxy):
    _, _, experiment_id, ids = faulty
    proxy.fail_next("/traces/search", 1, 200, "<html>Welcome to the captive portal</html>", "text/html")
    page = viewer.open(server=proxy.url, experiment_id=experiment_id)
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text(f"Unexpected answer from {proxy.url}/api/3.0/mlflow/traces/search: not the JSON expected")
    panel.get_by_role("button", name="Try again").click()
    viewer.wait_for_rows(len(ids))


def test_slow_answers_and_slow_bodies_show_loading_then_the_data(viewer, faulty, proxy):
    _, _, experiment_id, ids = faulty
    proxy.answer_delay = 2.0
    page = viewer.open(server=proxy.url, experiment_id=experiment_id)
    expect(page.get_by_role("status")).to_have_text("Loading traces…")
    viewer.wait_for_rows(len(ids))

    proxy.answer_delay, proxy.body_delay = 0.0, 2.0
    page.locator(f".trace-row[data-trace-id='{ids[0]}'] .open-trace").first.click()
    expect(page.get_by_role("status")).to_contain_text("Loading")
    expect(page.locator(".span-row").first).to_be_visible()
    expect(page.locator(".error-panel")).to_have_count(0)


def test_a_write_while_the_server_is_stopped_is_kept_until_it_is_back(viewer, faulty, proxy):
    """The real server stops while the user adds a tag: it is refused once, stays in the form, is not sent
    again on its own, and is saved when the user adds it again after the restart."""
    import mlflow

    server, _, experiment_id, ids = faulty
    page = viewer.open(server=proxy.url, experiment_id=experiment_id, trace_id=ids[1])
    expect(page.locator(".span-row").first).to_be_visible()

    server.stop()
    editor = page.get_by_label("Tags")
    editor.get_by_label("New tag key").fill("triage")
    editor.get_by_label("New tag value").fill("needs a look")
    editor.get_by_role("button", name="Add tag").click()
    expect(editor.locator(".warning")).to_contain_text('The tag "triage" was not changed: Could not reach')
    expect(editor.get_by_label("New tag key")).to_have_value("triage")
    expect(editor.get_by_label("New tag value")).to_have_value("needs a look")
    expect(editor.locator("[data-tag-key=triage]")).to_have_count(0)

    server.start()
    editor.get_by_role("button", name="Add tag").click()
    expect(editor.locator("[data-tag-key=triage]")).to_contain_text("triage: needs a look")
    eventually(lambda: mlflow.MlflowClient(server.url).get_trace(ids[1]).info.tags.get("triage") == "needs a look")
    # The browser asked permission once per click (the preflight failed while the server was down); the tag
    # was sent once: by the second click, never on its own.
    assert (proxy.count("OPTIONS", "/tags"), proxy.count("PATCH", "/tags")) == (2, 1), proxy.requests


def test_reads_while_the_server_is_stopped_come_back_with_try_again(viewer, faulty, proxy):
    server, _, experiment_id, ids = faulty
    page = viewer.open(server=proxy.url, experiment_id=experiment_id)
    viewer.wait_for_rows(len(ids))

    server.stop()
    page.locator(f".trace-row[data-trace-id='{ids[2]}'] .open-trace").first.click()
    panel = page.locator(".error-panel")
    expect(panel).to_contain_text("Could not load this trace")
    expect(panel).to_contain_text("Could not reach")

    server.start()
    panel.get_by_role("button", name="Try again").click()
    expect(page.locator(".span-row").first).to_be_visible()
    page.go_back()
    viewer.wait_for_rows(len(ids))


def test_a_trace_deleted_by_someone_else_while_open(viewer, faulty, proxy):
    import mlflow

    server, _, experiment_id, ids = faulty
    doomed = ids[-1]
    page = viewer.open(server=proxy.url, experiment_id=experiment_id, trace_id=doomed)
    expect(page.locator(".span-row").first).to_be_visible()
    mlflow.MlflowClient(server.url).delete_traces(experiment_id, trace_ids=[doomed])

    editor = page.get_by_label("Tags")
    editor.get_by_label("New tag key").fill("verdict")
    editor.get_by_label("New tag value").fill("keep")
    editor.get_by_role("button", name="Add tag").click()
    expect(editor.locator(".warning")).to_have_text(
        f'The tag "verdict" was not changed: trace {doomed} no longer exists on the server (it was deleted, perhaps by someone else).')
    expect(editor.get_by_label("New tag value")).to_have_value("keep")
    # What was shown stays readable; reloading says the trace is gone.
    expect(page.locator(".span-row").first).to_be_visible()
    page.reload()
    expect(page.locator(".error-panel")).to_contain_text("404 RESOURCE_DOES_NOT_EXIST")


# Well-formed but hostile or unwelcome answers (issue 18).
UNAUTHENTICATED = json.dumps({"error_code": "UNAUTHENTICATED", "message": "You are not authenticated. Please see the documentation."})
FORBIDDEN = json.dumps({"error_code": "PERMISSION_DENIED", "message": "Permission denied"})
RATE_LIMITED = json.dumps({"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "Too many requests"})


@pytest.mark.parametrize("status, body, said", [
    (401, UNAUTHENTICATED, "The server answered 401 UNAUTHENTICATED: You are not authenticated."),
    (403, FORBIDDEN, "The server answered 403 PERMISSION_DENIED: Permission denied"),
])
def test_a_refusal_says_what_the_server_said_and_is_not_retried(viewer, faulty, proxy, status, body, said):
    _, _, experiment_id, ids = faulty
    proxy.fail_next("/traces/search", 1, status, body)
    page = viewer.open(server=proxy.url, experiment_id=experiment_id)
    expect(page.locator(".error-panel")).to_contain_text(said)
    assert proxy.count("POST", "/traces/search") == 1


def test_rate_limiting_is_waited_out(viewer, faulty, proxy):
    import mlflow

    server, _, experiment_id, _ = faulty
    # As many as the server holds now (a test before this one deletes a trace).
    count = len(mlflow.MlflowClient(server.url).search_traces(locations=[experiment_id], max_results=100))
    proxy.fail_next("/traces/search", 2, 429, RATE_LIMITED)
    viewer.open(server=proxy.url, experiment_id=experiment_id)
    viewer.wait_for_rows(count)
    assert proxy.count("POST", "/traces/search") == 3


def test_an_empty_or_foreign_spans_file_is_an_error_not_a_crash(viewer, faulty, proxy):
    _, _, experiment_id, ids = faulty
    for artifact, said in [("[]", "holds no trace"), ('{"resourceSpans": []}', "holds no trace"),
                           ('{"traces": []}', "holds no trace")]:
        proxy.fail_next("/get-trace-artifact", 1, 200, artifact)
        page = viewer.open(server=proxy.url, experiment_id=experiment_id, trace_id=ids[0])
        expect(page.locator(".error-panel")).to_contain_text(said)
    # The app lives on: the trace opens once the server answers properly.
    page.locator(".error-panel").get_by_role("button", name="Try again").click()
    expect(page.locator(".span-row").first).to_be_visible()
    assert not [error for error in viewer.console_errors if "panicked" in error or "unreachable" in error]


def test_an_id_that_would_change_the_address_is_never_sent(viewer, faulty, proxy):
    """A search answer naming a trace `../../…`: opening it sends nothing to the path it would build."""
    _, _, experiment_id, _ = faulty
    hostile = "../../../../../2.0/mlflow-artifacts/artifacts/x"
    listing = json.dumps({"traces": [{"trace_id": hostile, "trace_location": {"type": "MLFLOW_EXPERIMENT",
                          "mlflow_experiment": {"experiment_id": experiment_id}}, "request_time": "2026-11-20T10:00:00Z",
                          "state": "OK", "execution_duration": "1s", "tags": {"mlflow.traceName": "hostile"}}]})
    proxy.fail_next("/traces/search", 1, 200, listing)
    page = viewer.open(server=proxy.url, experiment_id=experiment_id)
    viewer.wait_for_rows(1)
    page.locator(".trace-row .open-trace").first.click()
    expect(page.locator(".error-panel")).to_contain_text("Not sent: the id")
    assert not [path for _, path in proxy.requests if "/mlflow-artifacts/" in path or "/traces/.." in path], proxy.requests
