"""`trace-viewer serve`: the viewer and a tracking server's REST API under one origin, so the browser needs no
CORS set-up and never holds a credential.

    trace-viewer serve [--tracking-uri URL] [--host 127.0.0.1] [--port 8080]

The tracking server and its credentials come from MLflow's own settings: `MLFLOW_TRACKING_URI`,
`MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD` (basic), `MLFLOW_TRACKING_TOKEN` (bearer),
`MLFLOW_WORKSPACE` (sent as `X-MLFLOW-WORKSPACE`), or `DATABRICKS_HOST` / `DATABRICKS_TOKEN` for the tracking
URI `databricks`. Without a tracking server it serves the demo data set. Credentials stay in this process:
they are added to the requests it forwards, never written into a URL, a page or a log line.

It keeps no state between requests (several copies can run behind one load balancer). Answers are streamed
and compressed for browsers that accept it; a tracking server that is down answers 502 with MLflow's error
shape, which the viewer retries and then explains.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os

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

# What the browser's request brings to the tracking server: its body's type and what it accepts. Cookies and
# the browser's own Authorization never go on; the configured credentials do.
FORWARDED_REQUEST_HEADERS = ("content-type", "accept")
FORWARDED_ANSWER_HEADERS = ("content-type", "cache-control")
WORKSPACE_HEADER = "X-MLFLOW-WORKSPACE"


def tracking_target(tracking_uri: str | None, env: dict) -> tuple[str | None, dict]:
    """The tracking server's base URL (None: the demo) and the headers every forwarded request carries."""
    uri = tracking_uri or env.get("MLFLOW_TRACKING_URI")
    headers: dict[str, str] = {}
    if uri == "databricks":
        uri = env.get("DATABRICKS_HOST")
        if not uri:
            raise SystemExit("trace-viewer: the tracking URI is `databricks` but DATABRICKS_HOST is not set")
        if env.get("DATABRICKS_TOKEN"):
            headers["Authorization"] = f"Bearer {env['DATABRICKS_TOKEN']}"
    if uri and not uri.startswith(("http://", "https://")):
        raise SystemExit(f"trace-viewer: the tracking URI must be an http(s) URL of a tracking server, not {uri!r}")
    if env.get("MLFLOW_TRACKING_TOKEN"):
        headers["Authorization"] = f"Bearer {env['MLFLOW_TRACKING_TOKEN']}"
    elif env.get("MLFLOW_TRACKING_USERNAME") or env.get("MLFLOW_TRACKING_PASSWORD"):
        pair = f"{env.get('MLFLOW_TRACKING_USERNAME', '')}:{env.get('MLFLOW_TRACKING_PASSWORD', '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    if env.get("MLFLOW_WORKSPACE"):
        headers[WORKSPACE_HEADER] = env["MLFLOW_WORKSPACE"]
    return (uri.rstrip("/") if uri else None), headers


def refused_message(headers: dict) -> str:
    """What to do when the tracking server answers 401, naming the settings that were (not) given."""
    if "Authorization" not in headers:
        return ("The tracking server asks for credentials: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD "
                "(or MLFLOW_TRACKING_TOKEN) for `trace-viewer serve` and start it again.")
    if headers["Authorization"].startswith("Basic "):
        return ("The tracking server refused the credentials: check MLFLOW_TRACKING_USERNAME and "
                "MLFLOW_TRACKING_PASSWORD given to `trace-viewer serve`.")
    return "The tracking server refused the token: check MLFLOW_TRACKING_TOKEN (or DATABRICKS_TOKEN) given to `trace-viewer serve`."


def from_this_page(request: Request) -> bool:
    """Whether a request comes from a page of this server's own origin (or from no page at all: curl, a
    script). Browsers say where a request comes from in `Sec-Fetch-Site`, and send `Origin` with every write."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin is None or origin == own


def create_app(tracking_uri: str | None, env: dict | None = None) -> Starlette:
    base, credentials = tracking_target(tracking_uri, dict(os.environ if env is None else env))
    client = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0), follow_redirects=False)

    async def config(_: Request) -> Response:
        # The viewer reads this beside its page: the server at its own origin, or the demo.
        return JSONResponse({"server": "" if base else None})

    async def forward(request: Request) -> Response:
        # The credentials this process adds must serve the viewer's own page only: a page on another site
        # could otherwise make the user's browser post here (no CORS is needed for a blind write), and an
        # address with `..` could reach past the REST API.
        if not from_this_page(request):
            return JSONResponse({"error_code": "PERMISSION_DENIED", "message": "Only the viewer's own page may use this server."}, 403)
        if any(segment in ("..", ".") for segment in request.url.path.split("/")):
            return JSONResponse({"error_code": "INVALID_PARAMETER_VALUE", "message": "Paths with '.' or '..' segments are refused."}, 400)
        if base is None:
            return JSONResponse({"error_code": "ENDPOINT_NOT_FOUND", "message": "No tracking server is configured."}, 404)
        url = f"{base}{request.url.path}" + (f"?{request.url.query}" if request.url.query else "")
        headers = {name: value for name, value in request.headers.items() if name.lower() in FORWARDED_REQUEST_HEADERS}
        outgoing = client.build_request(request.method, url, headers={**headers, **credentials}, content=await request.body())
        try:
            answer = await client.send(outgoing, stream=True)
        except httpx.HTTPError:
            message = f"The tracking server at {base} did not answer. Is it running?"
            return JSONResponse({"error_code": "TEMPORARILY_UNAVAILABLE", "message": message}, 502)
        if answer.status_code == 401:
            await answer.aclose()
            return JSONResponse({"error_code": "UNAUTHENTICATED", "message": refused_message(credentials)}, 401)
        kept = {name: value for name, value in answer.headers.items() if name.lower() in FORWARDED_ANSWER_HEADERS}
        # Decoded here and compressed again for the browser (GZipMiddleware), streamed as it arrives.
        return StreamingResponse(answer.aiter_bytes(), status_code=answer.status_code, headers=kept,
                                 background=BackgroundTask(answer.aclose))

    methods = ["GET", "POST", "PATCH", "PUT", "DELETE"]
    routes = [
        Route("/config.json", config),
        Route("/api/{path:path}", forward, methods=methods),
        Route("/ajax-api/{path:path}", forward, methods=methods),
        Mount("/", StaticFiles(directory=viewer_folder(), html=True)),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette):
        yield
        await client.aclose()

    # Level 5: nearly level 9's size (a 5,000-span trace 16x smaller than MLflow's answer) in less time.
    gzip = Middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    return Starlette(routes=routes, middleware=[gzip], lifespan=lifespan)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="trace-viewer", description="The trace viewer for MLflow traces.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the viewer and a tracking server's REST API on one origin")
    serve.add_argument("--tracking-uri", help="the tracking server (default: MLFLOW_TRACKING_URI; none: the demo)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    app = create_app(args.tracking_uri)
    print(f"trace-viewer: http://{args.host}:{args.port}/", flush=True)
    # No access log: the paths would name traces; nothing logged carries a credential either way.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
