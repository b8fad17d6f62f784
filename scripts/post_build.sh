#!/usr/bin/env bash
# trunk's post-build hook. trunk starts the hooks of one stage all at once, so the steps that must follow
# each other run from here, in order: the loader out of index.html, the one-file page, then compressed
# copies of everything (index.html and standalone.html included, finished by then).
set -euo pipefail
cd "$(dirname "$0")"
python3 externalize_loader.py
python3 standalone_template.py
node precompress.mjs
