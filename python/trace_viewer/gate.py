"""Who may use `trace-viewer serve`: requests naming one of its own host names, from a caller holding its token,
and (for the tracking server's API) from its own page rather than another site's.

The process may hold the user's MLflow identity, so every request passes this gate before anything else, static
files included: a web page elsewhere on the machine, or one whose name was rebound to 127.0.0.1, must get
nothing from it.
"""

from __future__ import annotations

import fnmatch
import hmac
import ipaddress
import json
from urllib.parse import parse_qsl, quote, urlencode

TOKEN_PARAMETER = "token"
TOKEN_HEADER = "x-trace-viewer-token"
API_PREFIXES = ("/api/", "/ajax-api/")


def is_loopback(host: str) -> bool:
    """Whether a host name or address (IPv6 with or without brackets) is this machine's loopback."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def own_host_names(bound_host: str, port: int, allowed_hosts: list[str]) -> list[str]:
    """The `Host` headers this server answers: the loopback names on its port, the address it is bound to, and
    the patterns given with `--allowed-hosts` (MLflow's option: `name`, `name:port`, `*.example.com`, `name:*`)."""
    names = [f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"]
    if bound_host not in ("0.0.0.0", "::", ""):
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        names.append(f"{shown}:{port}")
    return names + [pattern.strip().lower() for pattern in allowed_hosts if pattern.strip()]


def host_allowed(host_header: str | None, own_names: list[str]) -> bool:
    """Whether a request's `Host` is one of this server's own names (a pattern without a port matches any)."""
    if not host_header:
        return False
    host = host_header.strip().lower()
    without_port = host if host.endswith("]") or ":" not in host else host.rsplit(":", 1)[0]
    for name in own_names:
        has_port = ":" in name.rsplit("]", 1)[-1]
        if matches(host if has_port else without_port, name):
            return True
    return False


def matches(text: str, pattern: str) -> bool:
    """`*` is the only wildcard (brackets, as in `[::1]`, are themselves)."""
    return fnmatch.fnmatchcase(text, pattern.replace("[", "[[]")) if "*" in pattern else text == pattern


def cookie_name(host_header: str) -> str:
    """The token's cookie, one per port: browsers send a host's cookies to all its ports, and two copies of
    `serve` on one machine must not overwrite each other's."""
    port = host_header.rsplit(":", 1)[1] if ":" in host_header and not host_header.endswith("]") else "default"
    return f"trace-viewer-token-{port}"


def token_matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def without_token(path: str, query: str) -> str:
    """The address the token link redirects to: the same page with the token taken out of its query."""
    kept = [(name, value) for name, value in parse_qsl(query, keep_blank_values=True) if name != TOKEN_PARAMETER]
    return quote(path) + (f"?{urlencode(kept)}" if kept else "")


def from_this_page(headers: dict[str, str], own_origin: str) -> bool:
    """Whether a request comes from a page of this server's own origin (or from no page at all: curl, a
    script). Browsers say where a request comes from in `Sec-Fetch-Site`, and send `Origin` with every write."""
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    return origin is None or origin == own_origin


def refusal(path: str, status: int, error_code: str, message: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """An answer that says why, in MLflow's error shape under the API (the viewer shows its message), else as
    plain text for a person; neither can run as a page."""
    if path.startswith(API_PREFIXES):
        body, kind = json.dumps({"error_code": error_code, "message": message}).encode(), b"application/json"
    else:
        body, kind = f"{message}\n".encode(), b"text/plain; charset=utf-8"
    return status, [(b"content-type", kind), *SAFE_ANSWER_HEADERS], body


# Sent with everything the tracking server answers and every refusal: never sniffed into HTML, never run as a
# page even when opened directly (a stored .html or .svg artifact).
SAFE_ANSWER_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"sandbox; default-src 'none'"),
    (b"referrer-policy", b"no-referrer"),
]


class Gate:
    """ASGI middleware: the host check, then the token (taken from the printed link into a cookie), then, for
    the API, the same-origin check and no navigations. `token` None: no token asked (the shared mode, where each
    user signs in to MLflow with their own identity)."""

    def __init__(self, app, *, own_names: list[str], token: str | None):
        self.app, self.own_names, self.token = app, own_names, token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        path, query = scope["path"], scope.get("query_string", b"").decode("latin-1")
        host = headers.get("host", "")
        if not host_allowed(host, self.own_names):
            # A name rebound to 127.0.0.1 by another site: its page must reach nothing here.
            return await answer(send, *refusal(path, 403, "PERMISSION_DENIED",
                                               f"This server answers only its own host names, not {host!r} (see --allowed-hosts)."))
        if self.token is not None:
            offered = dict(parse_qsl(query)).get(TOKEN_PARAMETER)
            if offered is not None and token_matches(offered, self.token) and not path.startswith(API_PREFIXES):
                # The printed link: the token becomes a cookie only this origin's own pages send, and the
                # address loses it (it would otherwise stay in the history and in shared links).
                cookie = f"{cookie_name(host)}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                return await answer(send, 303, [(b"location", without_token(path, query).encode()),
                                                (b"set-cookie", cookie.encode()), *SAFE_ANSWER_HEADERS], b"")
            held = cookie_value(headers.get("cookie", ""), cookie_name(host)) or headers.get(TOKEN_HEADER)
            if not token_matches(held, self.token):
                return await answer(send, *refusal(path, 401, "UNAUTHENTICATED",
                                                   "Open the address `trace-viewer serve` printed when it started: it holds this "
                                                   "server's token."))
        if path.startswith(API_PREFIXES):
            if headers.get("sec-fetch-mode") == "navigate":
                return await answer(send, *refusal(path, 403, "PERMISSION_DENIED",
                                                   "The tracking server's answers are for the viewer's requests, not to be opened as pages."))
            scheme = scope.get("scheme", "http")
            if not from_this_page(headers, f"{scheme}://{host}"):
                return await answer(send, *refusal(path, 403, "PERMISSION_DENIED", "Only the viewer's own page may use this server."))
        return await self.app(scope, receive, send)


def cookie_value(cookie_header: str, name: str) -> str | None:
    for part in cookie_header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def without_cookie(cookie_header: str, name: str) -> str:
    """The browser's cookies less the token's (the shared mode passes the rest on to MLflow)."""
    return "; ".join(part.strip() for part in cookie_header.split(";") if part.strip() and part.strip().partition("=")[0] != name)


async def answer(send, status: int, headers: list[tuple[bytes, bytes]], body: bytes):
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
