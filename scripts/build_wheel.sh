#!/usr/bin/env bash
# Builds the Python package with the viewer inside: target/wheel/trace_viewer-<version>-py3-none-any.whl.
# Installed anywhere (`pip install target/wheel/trace_viewer-*.whl`, no Rust, trunk or Node needed), it gives
# `trace-viewer serve` and the notebook helper.
#   scripts/build_wheel.sh                       a release build first (into target/wheel-dist)
#   TRACE_VIEWER_DIST=<folder> scripts/build_wheel.sh   packs that release build instead (the tests' own)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

dist="${TRACE_VIEWER_DIST:-}"
if [ -z "$dist" ]; then
  scripts/setup.sh
  trunk build --release --dist target/wheel-dist
  dist=target/wheel-dist
fi
[ -f "$dist/index.html" ] || { echo "build_wheel: $dist holds no viewer build" >&2; exit 2; }

# The package is put together in a folder of its own: nothing is written into python/ or the build.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp python/pyproject.toml "$stage/"
cp -r python/trace_viewer "$stage/trace_viewer"
rm -rf "$stage/trace_viewer/__pycache__" "$stage/trace_viewer/viewer"
mkdir -p "$stage/trace_viewer/viewer/demo"
# The files a browser loads, and the demo; the precompressed copies are left out (the server compresses).
find "$dist" -maxdepth 1 -type f ! -name '*.gz' ! -name '*.br' -exec cp {} "$stage/trace_viewer/viewer/" \;
cp "$dist"/demo/*.json "$stage/trace_viewer/viewer/demo/"

python3 -m venv "$stage/venv" >/dev/null
"$stage/venv/bin/pip" install --quiet --disable-pip-version-check "setuptools>=61" wheel
mkdir -p target/wheel
rm -f target/wheel/trace_viewer-*.whl
"$stage/venv/bin/pip" wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w target/wheel "$stage"
wheel=$(ls target/wheel/trace_viewer-*.whl)
echo "$wheel ($(du -k "$wheel" | cut -f1) KB)"
