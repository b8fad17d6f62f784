"""A loopback HTTP proxy in front of a tracking server, with faults a test switches on and off: refusing
connections (as a stopped server does), answering late, sending the body slowly, failing the next requests
to a path with a status and body, or answering something that is not JSON. Upstream failures become a 502,
as any reverse proxy would answer. It records every request it forwards, so a test can tell whether the
viewer tried again."""

import http.client
import http.server
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

# Hop-by-hop headers, and the length the proxy sets itself.
SKIPPED_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Fault:
    path_part: str
    remaining: int
    status: int
    body: bytes
    content_type: str


class FaultProxy:
    def __init__(self, upstream: str):
        target = urlsplit(upstream)
        self.upstream_host, self.upstream_port = target.hostname, target.port
        self.port: int | None = None
        self.answer_delay = 0.0
        self.body_delay = 0.0
        self.requests: list[tuple[str, str]] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def listening(self) -> bool:
        return self._server is not None

    def up(self) -> "FaultProxy":
        """Listens (again, on the same port after `down`)."""
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def forward(self) -> None:
                proxy._forward(self)

            do_GET = do_POST = do_PATCH = do_DELETE = do_OPTIONS = do_PUT = forward

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def down(self) -> None:
        """Stops listening: connections are refused, as by a server that is not running."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def fail_next(self, path_part: str, count: int, status: int, body: str = "",
                  content_type: str = "application/json") -> None:
        """The next `count` requests whose path contains `path_part` get this answer instead of the server's."""
        with self._lock:
            self._faults.append(Fault(path_part, count, status, body.encode(), content_type))

    def count(self, method: str, path_part: str) -> int:
        with self._lock:
            return sum(1 for seen_method, path in self.requests if seen_method == method and path_part in path)

    def _injected(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.path_part in path:
                    fault.remaining -= 1
                    return fault
        return None

    def _forward(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        request_body = handler.rfile.read(length) if length else None
        with self._lock:
            self.requests.append((handler.command, handler.path))
        time.sleep(self.answer_delay)
        fault = self._injected(handler.path) if handler.command != "OPTIONS" else None
        if fault:
            # Injected answers keep the CORS header, so the page may read them as it would the server's.
            headers = [("Content-Type", fault.content_type)]
            if handler.headers.get("Origin"):
                headers.append(("Access-Control-Allow-Origin", handler.headers["Origin"]))
            self._answer(handler, fault.status, headers, fault.body)
            return
        try:
            status, answer_headers, body = self._ask_upstream(handler, request_body)
        except OSError:
            status, answer_headers, body = 502, [("Content-Type", "text/html")], b"<html><h1>502 Bad Gateway</h1></html>"
        self._answer(handler, status, answer_headers, body)

    def _ask_upstream(self, handler, request_body: bytes | None) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=60)
        try:
            headers = {key: value for key, value in handler.headers.items() if key.lower() not in SKIPPED_HEADERS}
            headers["Host"] = f"{self.upstream_host}:{self.upstream_port}"
            upstream.request(handler.command, handler.path, body=request_body, headers=headers)
            response = upstream.getresponse()
            body = response.read()
            return response.status, [(k, v) for k, v in response.getheaders() if k.lower() not in SKIPPED_HEADERS], body
        finally:
            upstream.close()

    def _answer(self, handler, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        try:
            self._write(handler, status, headers, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser gave up on this request (a page closed or navigated away)

    def _write(self, handler, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        handler.send_response(status)
        for key, value in headers:
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if self.body_delay and len(body) > 1:
            # Half now, the rest later: the answer has begun but its body is slow.
            half = len(body) // 2
            handler.wfile.write(body[:half])
            handler.wfile.flush()
            time.sleep(self.body_delay)
            body = body[half:]
        handler.wfile.write(body)
