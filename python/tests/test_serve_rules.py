"""The rules of `trace-viewer serve`'s boundary, one by one (the whole of it runs end to end in
tests/e2e/test_serve_boundary.py, against MLflow's sign-in app and Chromium)."""

import pytest

from trace_viewer.gate import cookie_name, from_this_page, host_allowed, own_host_names, without_cookie, without_token
from trace_viewer.upstream import (allowed_endpoints, is_allowed, redacted, safe_segments, sends_identity_in_clear,
                                   tracking_target, upstream_path)


def test_only_its_own_host_names_are_answered():
    names = own_host_names("127.0.0.1", 8080, [])
    for host in ("127.0.0.1:8080", "localhost:8080", "[::1]:8080", "LOCALHOST:8080"):
        assert host_allowed(host, names), host
    for host in ("attacker.example:8080", "127.0.0.1:8081", "127.0.0.1", "", None, "localhost.attacker.example:8080"):
        assert not host_allowed(host, names), host


def test_allowed_hosts_take_mlflows_patterns():
    names = own_host_names("0.0.0.0", 8080, ["traces.example.com", "*.corp.example", "box:*"])
    assert host_allowed("traces.example.com:8080", names)
    assert host_allowed("traces.example.com", names)
    assert host_allowed("a.corp.example:443", names)
    assert host_allowed("box:9999", names)
    assert not host_allowed("corp.example:8080", names)
    assert not host_allowed("0.0.0.0:8080", names), "a wildcard address is no host name"
    assert host_allowed("[::1]:8080", own_host_names("::1", 8080, []))


def test_the_token_cookie_is_per_port_and_never_passed_on():
    assert cookie_name("127.0.0.1:8080") != cookie_name("127.0.0.1:8081")
    assert without_cookie("a=1; trace-viewer-token-8080=secret; mlflow_session=x", "trace-viewer-token-8080") == "a=1; mlflow_session=x"


def test_the_printed_link_redirects_to_the_same_page_without_its_token():
    assert without_token("/", "token=abc") == "/"
    assert without_token("/", "server=&token=abc&trace_id=tr-1") == "/?server=&trace_id=tr-1"


def test_requests_from_other_sites_are_not_the_viewers():
    own = "http://127.0.0.1:8080"
    assert from_this_page({}, own)
    assert from_this_page({"sec-fetch-site": "same-origin", "origin": own}, own)
    assert not from_this_page({"sec-fetch-site": "cross-site"}, own)
    assert not from_this_page({"origin": "http://evil.example"}, own)


@pytest.mark.parametrize("path", ["/api/2.0/mlflow/../../health", "/api/2.0/mlflow/%2e%2e/x", "/api/3.0/mlflow/traces/%2e%2e",
                                  "/api/3.0/mlflow/traces/a\x00b", "/api/3.0/mlflow/traces/a\\b", "/api//x", "/api/./x"])
def test_paths_that_could_lead_elsewhere_are_refused(path):
    assert safe_segments(path) is None


def test_only_the_endpoints_the_viewer_calls_are_forwarded():
    routes = allowed_endpoints()
    assert is_allowed("POST", safe_segments("/api/3.0/mlflow/traces/search"), routes)
    assert is_allowed("PATCH", safe_segments("/api/3.0/mlflow/traces/tr-1/tags"), routes)
    assert is_allowed("DELETE", safe_segments("/api/3.0/mlflow/traces/tr-1/assessments/a-1"), routes)
    assert not is_allowed("GET", safe_segments("/api/3.0/mlflow/traces/tr-1/tags"), routes), "a method the viewer does not use"
    for path in ("/api/2.0/mlflow/users/create", "/api/2.0/mlflow/users/update-admin", "/api/2.0/token/create",
                 "/api/2.0/secrets/list", "/api/2.1/jobs/runs/submit", "/api/2.0/mlflow-artifacts/artifacts/x/page.html",
                 "/api/3.0/mlflow/traces/tr-1/tags/extra"):
        assert not any(is_allowed(method, safe_segments(path), routes) for method in ("GET", "POST", "PUT", "PATCH", "DELETE")), path


def test_ids_go_on_as_one_segment_each():
    assert upstream_path(["api", "3.0", "mlflow", "traces", "tr 1?#"]) == "/api/3.0/mlflow/traces/tr%201%3F%23"


def test_a_password_in_the_tracking_uri_moves_into_the_header():
    target = tracking_target("http://admin:p%40ss@127.0.0.1:5000/", {})
    assert target.base == "http://127.0.0.1:5000" and target.shown == target.base
    assert target.headers["Authorization"] == "Basic YWRtaW46cEBzcw=="  # admin:p@ss
    assert redacted("http://admin:secret@example.com/x") == "http://example.com/x"
    with pytest.raises(SystemExit) as refused:
        tracking_target("ftp://admin:secret@example.com", {})
    assert "secret" not in str(refused.value)


def test_credentials_over_plain_http_to_another_machine_are_noticed():
    with_password = {"MLFLOW_TRACKING_USERNAME": "u", "MLFLOW_TRACKING_PASSWORD": "p"}
    assert sends_identity_in_clear(tracking_target("http://mlflow.example.com", with_password))
    assert sends_identity_in_clear(tracking_target("http://10.0.0.5:5000", with_password))
    assert not sends_identity_in_clear(tracking_target("https://mlflow.example.com", with_password))
    assert not sends_identity_in_clear(tracking_target("http://127.0.0.1:5000", with_password))
    assert not sends_identity_in_clear(tracking_target("http://localhost:5000", with_password))
    assert not sends_identity_in_clear(tracking_target("http://mlflow.example.com", {})), "no identity, nothing to leak"
