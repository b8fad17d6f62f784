"""trunk post-build hook: moves the inline wasm loader <script type="module"> into loader.js.

index.html's Content-Security-Policy allows only the app's own script files, so the loader must be a file.
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
(staging / "loader.js").write_text(found[0].strip() + "\n")
index.write_text(inline.sub('<script type="module" src="./loader.js"></script>', html))
