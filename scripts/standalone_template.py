"""trunk post-build hook: writes standalone.html, the whole app in one file, for traces that must open with no
server (a file on disk, a saved notebook).

The stylesheet, the JS glue and the gzipped wasm (base64) are inlined; the traces go into
`<script type="application/json" id="trace-viewer-data">`, which holds the placeholder below until an export
replaces it: the viewer's "Export HTML" with JSON whose `<` are escaped as `\\u003c`, the Python helper in
python/ with `{"gzip_base64": "…"}` (the JSON gzipped), which the page unpacks before the app starts. The
page's Content-Security-Policy allows exactly the inlined script and style, by hash.
Runs after externalize_loader.py (scripts/post_build.sh runs both), with TRUNK_STAGING_DIR set to the folder
trunk is about to publish.
"""

import base64
import gzip
import hashlib
import os
import re
import sys
from pathlib import Path

PLACEHOLDER = "__TRACE_VIEWER_DATA__"

staging = Path(os.environ["TRUNK_STAGING_DIR"])


def only(pattern: str) -> Path:
    found = [path for path in staging.glob(pattern)]
    if len(found) != 1:
        sys.exit(f"standalone_template: expected one {pattern} in {staging}, found {len(found)}")
    return found[0]


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# The stylesheets in index.html's order (the cascade depends on it).
css = "\n".join((staging / href).read_text() for href in re.findall(r'<link rel="stylesheet" href="\./([a-z]+-[^"]+\.css)"', (staging / "index.html").read_text()))
if not css:
    sys.exit("standalone_template: no stylesheet linked from index.html")
glue = only("trace-viewer-*.js").read_text()
wasm = only("trace-viewer-*_bg.wasm").read_bytes()

# The glue is an ES module; inline, its exports have no importer, so the init function is called in place.
glue, exports_removed = re.subn(r"^export \{[^}]*\};?\s*$", "", glue, flags=re.MULTILINE)
if exports_removed != 1 or "async function __wbg_init" not in glue:
    sys.exit("standalone_template: the wasm-bindgen glue no longer has the expected shape")
packed = base64.b64encode(gzip.compress(wasm, 9, mtime=0)).decode()
# Traces written in packed (`{"gzip_base64": "…"}`, as the Python helper writes them) are unpacked in place
# before the app reads them; if that fails the app finds them still packed and says the file is damaged.
# The traces are unpacked a chunk at a time and given up past 256 MB (the most the viewer reads from a server
# too): a small file must not unpack into gigabytes and take the tab down. Why they were not unpacked is left
# on the element (data-unpack-error) for the app to say.
script = glue + f"""
const unpacked = base64 => new Blob([Uint8Array.from(atob(base64), c => c.charCodeAt(0))]).stream()
  .pipeThrough(new DecompressionStream("gzip"));
const gunzip = base64 => new Response(unpacked(base64)).arrayBuffer();
const MAX_UNPACKED_BYTES = 256000000;
const gunzipCapped = async base64 => {{
  const reader = unpacked(base64).getReader();
  const parts = [];
  let size = 0;
  for (;;) {{
    const {{ done, value }} = await reader.read();
    if (done) return new TextDecoder().decode(await new Blob(parts).arrayBuffer());
    size += value.length;
    if (size > MAX_UNPACKED_BYTES) {{
      await reader.cancel();
      throw new RangeError("they are over 256 MB once unpacked, more than this viewer reads");
    }}
    parts.push(value);
  }}
}};
const data = document.getElementById("trace-viewer-data");
const packedTraces = /^\\s*\\{{"gzip_base64":\\s*"([A-Za-z0-9+/=]*)"\\}}\\s*$/.exec(data.textContent);
if (packedTraces) {{
  try {{ data.textContent = await gunzipCapped(packedTraces[1]); }}
  catch (error) {{ data.dataset.unpackError = error instanceof RangeError ? error.message : "the file is damaged or was cut short"; }}
}}
await __wbg_init({{ module_or_path: await gunzip("{packed}") }});
"""
policy = (f"default-src 'none'; script-src {csp_hash(script)} 'wasm-unsafe-eval'; style-src {csp_hash(css)}; "
          "img-src data: blob: http: https:; media-src data: blob: http: https:; connect-src 'none'; "
          "frame-src blob:; object-src 'none'; base-uri 'none'; form-action 'none'")
page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="color-scheme" content="light dark">
<title>Traces</title>
<style>{css}</style>
<script type="application/json" id="trace-viewer-data">{PLACEHOLDER}</script>
<script type="module">{script}</script>
</head>
<body><noscript>The trace viewer needs JavaScript and WebAssembly.</noscript></body>
</html>
"""
(staging / "standalone.html").write_text(page)
