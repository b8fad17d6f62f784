"""trunk post-build hook: moves the inline wasm loader <script type="module"> into loader.js.

index.html's Content-Security-Policy allows only the app's own script files, so the loader must be a file.
loader.js is also what a host page loads to mount the viewer itself (README, "Embed it"): the wasm is found
relative to loader.js rather than to the page, and a host page that mounts the viewer gets its stylesheet.
trunk runs this with TRUNK_STAGING_DIR set to the folder it is about to publish.
"""

import os
import re
import sys
from pathlib import Path

staging = Path(os.environ["TRUNK_STAGING_DIR"])
index = staging / "index.html"
html = index.read_text()
inline = re.compile(r'<script type="module"\s*>(.*?)</script>', re.DOTALL)
found = inline.findall(html)
if len(found) != 1:
    sys.exit(f"externalize_loader: expected one inline module script in index.html, found {len(found)}")
loader = found[0].strip()
loader, relocated = re.subn(r"module_or_path: '(\./[^']+_bg\.wasm)'", r"module_or_path: new URL('\1', import.meta.url)", loader)
stylesheets = re.findall(r'<link rel="stylesheet" href="(\./[a-z]+-[^"]+\.css)"', html)
if relocated != 1 or not stylesheets:
    sys.exit("externalize_loader: the loader or the stylesheet links no longer have the expected shape")
# Imports are hoisted, so the stylesheets are requested before the wasm is fetched.
links = "".join(f"""  addStylesheet("{href}");\n""" for href in stylesheets)
loader = f"""if (window.TRACE_VIEWER_MANUAL_MOUNT) {{
  const addStylesheet = (href) => {{
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL(href, import.meta.url);
    document.head.append(link);
  }};
{links}}}
""" + loader + "\n"
(staging / "loader.js").write_text(loader)
index.write_text(inline.sub('<script type="module" src="./loader.js"></script>', html))
