"""What `trace-viewer serve` sends on to the tracking server, and how: only the endpoints the viewer calls
(endpoints.txt), with the identity it was given (or, in the shared mode, the browser's own sign-in), within
size limits, and answers that cannot become pages."""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass, field
from importlib import resources
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# Request bodies the viewer sends are JSON of a few KB; a dataset's records are the largest (deploy/nginx.conf
# allows the same).
MAX_REQUEST_BYTES = 100 * 1024 * 1024
# The most the viewer reads of one answer once unpacked (src/api.rs, MAX_BODY_BYTES).
MAX_ANSWER_BYTES = 256_000_000

WORKSPACE_HEADER = "X-MLFLOW-WORKSPACE"


@dataclass
class Target:
    """The tracking server (None: the demo), what to call it in messages (never its userinfo), and the headers
    each forwarded request carries."""

    base: str | None
    shown: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def tracking_target(tracking_uri: str | None, env: dict) -> Target:
    """The tracking server from `--tracking-uri` or MLflow's variables, with the identity they configure."""
    uri = tracking_uri or env.get("MLFLOW_TRACKING_URI")
    headers: dict[str, str] = {}
    if uri == "databricks":
        uri = env.get("DATABRICKS_HOST")
        if not uri:
            raise SystemExit("trace-viewer: the tracking URI is `databricks` but DATABRICKS_HOST is not set")
        if env.get("DATABRICKS_TOKEN"):
            headers["Authorization"] = f"Bearer {env['DATABRICKS_TOKEN']}"
    if not uri:
        return Target(None)
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SystemExit(f"trace-viewer: the tracking URI must be an http(s) URL of a tracking server, not {redacted(uri)!r}")
    username, password = parts.username, parts.password
    # `http://user:password@host`: the pair goes into the header, and out of every URL and message.
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc += f":{parts.port}" if parts.port else ""
    base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    if env.get("MLFLOW_TRACKING_TOKEN"):
        headers["Authorization"] = f"Bearer {env['MLFLOW_TRACKING_TOKEN']}"
    elif env.get("MLFLOW_TRACKING_USERNAME") or env.get("MLFLOW_TRACKING_PASSWORD"):
        headers["Authorization"] = basic(env.get("MLFLOW_TRACKING_USERNAME", ""), env.get("MLFLOW_TRACKING_PASSWORD", ""))
    elif username is not None:
        headers["Authorization"] = basic(username, password or "")
    if env.get("MLFLOW_WORKSPACE"):
        headers[WORKSPACE_HEADER] = env["MLFLOW_WORKSPACE"]
    return Target(base, base, headers)


def basic(username: str, password: str) -> str:
    """The Basic header of a pair as a URI's userinfo holds it (percent-encoded)."""
    return "Basic " + base64.b64encode(f"{unquote(username)}:{unquote(password)}".encode()).decode()


def redacted(uri: str) -> str:
    """A URI as it may be shown: without a password in it."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def sends_identity_in_clear(target: Target) -> bool:
    """Whether the configured identity would cross the network unencrypted: plain http to another machine."""
    if target.base is None or "Authorization" not in target.headers or not target.base.startswith("http://"):
        return False
    host = urlsplit(target.base).hostname or ""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def allowed_endpoints() -> list[tuple[str, list[str]]]:
    """endpoints.txt as (method, path segments), `{}` a segment that holds any one id."""
    text = resources.files(__package__).joinpath("endpoints.txt").read_text(encoding="utf-8")
    routes = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            method, path = line.split()
            routes.append((method, path.strip("/").split("/")))
    return routes


def safe_segments(path: str) -> list[str] | None:
    """A request path's segments as the server received them (decoded once), or None when one could still
    change where it leads: `.`, `..`, a backslash, a control character, or a `%` (text encoded twice, such as
    `%252e`, would be decoded again upstream)."""
    segments = path.strip("/").split("/")
    for segment in segments:
        if segment in ("", ".", "..") or "\\" in segment or "%" in segment or any(ord(char) < 32 or ord(char) == 127 for char in segment):
            return None
    return segments


def is_allowed(method: str, segments: list[str], routes: list[tuple[str, list[str]]]) -> bool:
    return any(method == allowed and len(pattern) == len(segments)
               and all(part == "{}" or part == segment for part, segment in zip(pattern, segments))
               for allowed, pattern in routes)


def upstream_path(segments: list[str]) -> str:
    """The path again, each segment encoded as one segment."""
    return "/" + "/".join(quote(segment, safe="-_.~:@!$&'()*+,;=") for segment in segments)


def refused_message(headers: dict) -> str:
    """What to do when the tracking server answers 401, naming the settings that were (not) given."""
    if "Authorization" not in headers:
        return ("The tracking server asks for credentials: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD "
                "(or MLFLOW_TRACKING_TOKEN) for `trace-viewer serve` and start it again.")
    if headers["Authorization"].startswith("Basic "):
        return ("The tracking server refused the credentials: check MLFLOW_TRACKING_USERNAME and "
                "MLFLOW_TRACKING_PASSWORD given to `trace-viewer serve`.")
    return "The tracking server refused the token: check MLFLOW_TRACKING_TOKEN (or DATABRICKS_TOKEN) given to `trace-viewer serve`."
