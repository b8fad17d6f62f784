"""`trace-viewer serve`: the viewer and a tracking server's REST API under one origin, so the browser needs no
CORS set-up and never holds a credential.

    trace-viewer serve [--tracking-uri URL] [--host 127.0.0.1] [--port 8080] [--allowed-hosts NAMES]
                       [--allow-remote] [--embedders ORIGINS] [--forward-sign-in] [--allow-plain-http]

The tracking server and its credentials come from MLflow's own settings: `MLFLOW_TRACKING_URI`,
`MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD` (basic), `MLFLOW_TRACKING_TOKEN` (bearer),
`MLFLOW_WORKSPACE` (sent as `X-MLFLOW-WORKSPACE`), or `DATABRICKS_HOST` / `DATABRICKS_TOKEN` for the tracking
URI `databricks`. Without a tracking server it serves the demo data set. Credentials stay in this process:
they are added to the requests it forwards, never written into a URL, a page or a log line.

Since it lends that identity, it is a boundary (gate.py, upstream.py): it answers only its own host names,
only callers holding the token of the link it prints (`TRACE_VIEWER_TOKEN` fixes it, for several copies behind
one load balancer), only the endpoints the viewer calls, and nothing it forwards can run as a page. With
`--forward-sign-in` it lends no identity: each browser's own MLflow sign-in goes on instead, and no token is
asked (the shared deployment).

It keeps no state between requests. Answers are streamed and compressed for browsers that accept it; a
tracking server that is down answers 502 with MLflow's error shape, which the viewer retries and then explains.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import viewer_folder
from .gate import SAFE_ANSWER_HEADERS, Gate, cookie_name, is_loopback, own_host_names, without_cookie
from .upstream import (MAX_ANSWER_BYTES, MAX_REQUEST_BYTES, Target, allowed_endpoints, is_allowed, refused_message,
                       safe_segments, sends_identity_in_clear, tracking_target, upstream_path)

# What the browser's request brings to the tracking server: its body's type and what it accepts. The
# browser's own sign-in (Authorization, cookies) goes on only in the shared mode; otherwise the configured
# identity does.
FORWARDED_REQUEST_HEADERS = ("content-type", "accept")
SIGN_IN_REQUEST_HEADERS = ("authorization",)
FORWARDED_ANSWER_HEADERS = ("content-type", "cache-control", "content-disposition")
SIGN_IN_ANSWER_HEADERS = ("www-authenticate", "set-cookie")


def error(status: int, error_code: str, message: str) -> JSONResponse:
    return JSONResponse({"error_code": error_code, "message": message}, status,
                        headers={name.decode(): value.decode() for name, value in SAFE_ANSWER_HEADERS})


class AnswerTooLarge(Exception):
    pass


async def within_cap(chunks):
    """The answer's chunks, stopped past what the viewer would read anyway (a small compressed answer may
    unpack to gigabytes)."""
    total = 0
    async for chunk in chunks:
        total += len(chunk)
        if total > MAX_ANSWER_BYTES:
            raise AnswerTooLarge
        yield chunk


async def body_within_cap(request: Request) -> bytes | None:
    """The request's body, or None when it is over MAX_REQUEST_BYTES (said or not in its Content-Length)."""
    if int(request.headers.get("content-length") or 0) > MAX_REQUEST_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_REQUEST_BYTES:
            return None
    return bytes(body)


def create_app(tracking_uri: str | None = None, env: dict | None = None, *, token: str | None = None, host: str = "127.0.0.1",
               port: int = 8080, allowed_hosts: list[str] = (), embedders: list[str] = (), forward_sign_in: bool = False) -> Starlette:
    """The app; `token` None asks for none (the shared mode, `forward_sign_in`)."""
    target = tracking_target(tracking_uri, dict(os.environ if env is None else env))
    if forward_sign_in:
        target = Target(target.base, target.shown, {})
    routes_allowed = allowed_endpoints()
    client = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0), follow_redirects=False)

    async def config(_: Request) -> Response:
        # The viewer reads this beside its page: the server at its own origin, or the demo.
        return JSONResponse({"server": "" if target.base else None, "embedders": list(embedders)},
                            headers={"cache-control": "no-store"})

    async def forward(request: Request) -> Response:
        segments = safe_segments(request.url.path)
        if segments is None:
            return error(400, "INVALID_PARAMETER_VALUE", "Paths with '.', '..', '%', '\\' or control characters are refused.")
        if not is_allowed(request.method, segments, routes_allowed):
            return error(404, "ENDPOINT_NOT_FOUND", "trace-viewer serve forwards only the endpoints the viewer calls.")
        if target.base is None:
            return error(404, "ENDPOINT_NOT_FOUND", "No tracking server is configured.")
        body = await body_within_cap(request)
        if body is None:
            return error(413, "INVALID_PARAMETER_VALUE", f"Request bodies over {MAX_REQUEST_BYTES // (1024 * 1024)} MB are refused.")
        headers = {name: value for name, value in request.headers.items() if name in FORWARDED_REQUEST_HEADERS}
        if forward_sign_in:
            headers.update({name: value for name, value in request.headers.items() if name in SIGN_IN_REQUEST_HEADERS})
            cookies = without_cookie(request.headers.get("cookie", ""), cookie_name(request.headers.get("host", "")))
            if cookies:
                headers["cookie"] = cookies
        query = request.scope.get("query_string", b"").decode("latin-1")
        url = f"{target.base}{upstream_path(segments)}" + (f"?{query}" if query else "")
        try:
            outgoing = client.build_request(request.method, url, headers={**headers, **target.headers}, content=body)
            answer = await client.send(outgoing, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL):
            return error(502, "TEMPORARILY_UNAVAILABLE", f"The tracking server at {target.shown} did not answer. Is it running?")
        if answer.status_code == 401 and not forward_sign_in:
            await answer.aclose()
            return error(401, "UNAUTHENTICATED", refused_message(target.headers))
        passed = FORWARDED_ANSWER_HEADERS + (SIGN_IN_ANSWER_HEADERS if forward_sign_in else ())
        kept = [(name, value) for name, value in answer.headers.multi_items() if name.lower() in passed]
        response = StreamingResponse(within_cap(answer.aiter_bytes()), status_code=answer.status_code,
                                     background=BackgroundTask(answer.aclose))
        # Decoded here and compressed again for the browser (GZipMiddleware), streamed as it arrives.
        response.raw_headers = [*((name.lower().encode(), value.encode("latin-1")) for name, value in kept),
                                *SAFE_ANSWER_HEADERS]
        return response

    methods = ["GET", "POST", "PATCH", "PUT", "DELETE"]
    routes = [
        Route("/config.json", config),
        Route("/api/{path:path}", forward, methods=methods),
        Route("/ajax-api/{path:path}", forward, methods=methods),
        Mount("/", ViewerFiles(StaticFiles(directory=viewer_folder(), html=True), embedders)),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette):
        yield
        await client.aclose()

    middleware = [
        Middleware(QuietErrors),
        Middleware(Gate, own_names=own_host_names(host, port, list(allowed_hosts)), token=token),
        # Level 5: nearly level 9's size (a 5,000-span trace 16x smaller than MLflow's answer) in less time.
        Middleware(GZipMiddleware, minimum_size=1024, compresslevel=5),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


class ViewerFiles:
    """The viewer's own files, framed only by its own origin's pages and the embedders allowed."""

    def __init__(self, files, embedders):
        self.files = files
        ancestors = " ".join(["'self'", *embedders])
        self.headers = [(b"content-security-policy", f"frame-ancestors {ancestors}".encode()), (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"no-referrer")]

    async def __call__(self, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        await self.files(scope, receive, with_headers)


class QuietErrors:
    """An unexpected failure answers 500 in MLflow's error shape and logs one line: no traceback, no path (the
    paths name traces)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        started = False

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as failure:  # noqa: BLE001 (the one place every failure ends)
            what = "an answer over the viewer's 256 MB was cut off" if isinstance(failure, AnswerTooLarge) else type(failure).__name__
            print(f"trace-viewer: {scope.get('method', '')} failed: {what}", file=sys.stderr, flush=True)
            if not started and scope["type"] == "http":
                response = error(500, "INTERNAL_ERROR", "trace-viewer serve failed to answer this request.")
                await response(scope, receive, send)


def comma_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="trace-viewer", description="The trace viewer for MLflow traces.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the viewer and a tracking server's REST API on one origin")
    serve.add_argument("--tracking-uri", help="the tracking server (default: MLFLOW_TRACKING_URI; none: the demo)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--allowed-hosts", default="", help="more host names this server answers to, comma-separated "
                       "(as MLflow's option: name, name:port, *.example.com); the loopback names are always allowed")
    serve.add_argument("--allow-remote", action="store_true", help="listen on an address other machines reach")
    serve.add_argument("--embedders", default="", help="origins allowed to frame the viewer, comma-separated")
    serve.add_argument("--forward-sign-in", action="store_true", help="lend no identity: each browser's own MLflow "
                       "sign-in goes on (the shared deployment); no token is asked")
    serve.add_argument("--allow-plain-http", action="store_true", help="send the configured credentials over plain "
                       "http to another machine")
    args = parser.parse_args(argv)
    env = dict(os.environ)

    def refuse(message: str):
        raise SystemExit(f"trace-viewer: {message}")

    if not is_loopback(args.host) and not args.allow_remote:
        refuse(f"--host {args.host} lets other machines reach this server; add --allow-remote to mean it "
               "(and prefer --forward-sign-in: see the README's shared deployment)")
    target = tracking_target(args.tracking_uri, env)
    if args.forward_sign_in and target.headers.get("Authorization"):
        refuse("--forward-sign-in passes on each browser's own sign-in: unset the configured credentials "
               "(MLFLOW_TRACKING_USERNAME/PASSWORD, MLFLOW_TRACKING_TOKEN, DATABRICKS_TOKEN, a password in the URI)")
    if not args.forward_sign_in and sends_identity_in_clear(target) and not args.allow_plain_http:
        refuse(f"the credentials would go unencrypted to {target.shown}: use https, or add --allow-plain-http to mean it")
    token = None if args.forward_sign_in else (env.get("TRACE_VIEWER_TOKEN") or secrets.token_urlsafe(24))
    try:
        app = create_app(args.tracking_uri, env, token=token, host=args.host, port=args.port, allowed_hosts=comma_list(args.allowed_hosts),
                         embedders=comma_list(args.embedders), forward_sign_in=args.forward_sign_in)
    except FileNotFoundError as missing:
        refuse(str(missing))
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else (f"[{args.host}]" if ":" in args.host else args.host)
    print(f"trace-viewer: open http://{shown_host}:{args.port}/" + (f"?token={token}" if token else ""), flush=True)
    # No access log: the paths would name traces; nothing logged carries a credential either way.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
