#!/usr/bin/env bash
# Installs what this project needs, pinned, skipping whatever is already there (safe to run again).
#   scripts/setup.sh          what building and serving need: wasm32 target, crates, trunk, the wasm-bindgen
#                             CLI matching Cargo.lock, wasm-opt (binaryen from npm)
#   scripts/setup.sh --test   also what the tests need: Chromium, chromedriver and nginx, a virtual environment
#                             (.venv) with MLflow, pytest, Playwright, Jupyter's nbclient and the Python package,
#                             and one (.venv-frameworks) with the agent frameworks the framework tests run
set -euo pipefail
cd "$(dirname "$0")/.."

# scripts/serve.sh and scripts/test.sh may start at once in one checkout: one installs, the other waits for it
# (then finds everything there) rather than both compiling the same tools into the same places.
mkdir -p target
exec 9> target/.setup.lock
flock 9

TRUNK_VERSION=0.21.14
# The CLI must print exactly the wasm-bindgen version Cargo.lock resolved.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

say "fetching crates"
cargo fetch --quiet

# The tools are built for a quick install rather than for speed of their own (docs/PERFORMANCE.md, "Set-up
# time"): unoptimised, no LTO, many codegen units, and no TLS (they download nothing: the tools they would
# fetch are installed here). trunk then installs in 2.3 minutes instead of 7, wasm-bindgen in 1.5 instead of 3;
# a release build takes about 1 s longer.
quick_build() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_OPT_LEVEL="$1" "${@:2}"
}

# What is missing is installed side by side, each job's output in target/setup/<job>.log (shown if it fails):
# one compile links or runs a build script while another keeps the cores busy.
mkdir -p target/setup
started=()
start() {
  local name=$1 what=$2
  shift 2
  say "$what (target/setup/$name.log)"
  "$@" > "target/setup/$name.log" 2>&1 &
  started+=("$!:$name")
}

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  start trunk "installing trunk $TRUNK_VERSION" \
    quick_build 0 cargo install trunk --version "$TRUNK_VERSION" --locked --no-default-features --force
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  # Not --locked: the CLI's own lock pins a webpki-roots release the registry no longer serves.
  start wasm-bindgen "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION" \
    quick_build 0 cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --no-default-features --force
fi
if ! wasm-opt --version 2>/dev/null | grep -q "version_132"; then
  start wasm-opt "installing wasm-opt (binaryen 132 from npm)" npm ci --no-audit --no-fund
fi
# While tools compile, so does the viewer's release build (trunk's cargo step then finds it done).
if [ ${#started[@]} -gt 0 ]; then
  start viewer "compiling the viewer's release build meanwhile" \
    cargo build --release --target wasm32-unknown-unknown --bin trace-viewer
fi
for job in "${started[@]}"; do
  if ! wait "${job%%:*}"; then
    tail -30 "target/setup/${job#*:}.log" >&2
    say "failed: ${job#*:} (the whole output is in target/setup/${job#*:}.log)"
    exit 1
  fi
done

[ "${1:-}" = "--test" ] || exit 0

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component-"; then
    say "adding the $component component (the tests check style with it)"
    rustup component add "$component"
  fi
done

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || [ ! -x /usr/sbin/nginx ]; then
  say "installing Chromium, chromedriver and nginx (the deployment test serves the build behind it)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver nginx-light
fi

# Whether every pinned requirement of $2 is installed in the virtual environment $1 at exactly its version.
pinned() {
  "$1/bin/python" - "$2" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
for line in open(sys.argv[1]):
    requirement = line.split("#")[0].strip()
    if requirement:
        name, pinned = requirement.split("==")
        try:
            assert version(name) == pinned
        except (PackageNotFoundError, AssertionError):
            sys.exit(1)
PY
}

if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
if ! pinned .venv tests/e2e/requirements.txt; then
  say "installing MLflow, pytest and Playwright into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
fi
# The agent frameworks whose own runs make the traces of tests/e2e/test_frameworks.py, in an environment of
# their own (they would pull .venv's MLflow and test tools to other versions).
if [ ! -x .venv-frameworks/bin/python ]; then
  say "creating .venv-frameworks"
  python3 -m venv .venv-frameworks
fi
if ! pinned .venv-frameworks tests/frameworks/requirements.txt; then
  say "installing the agent frameworks into .venv-frameworks (tests/frameworks/requirements.txt)"
  .venv-frameworks/bin/pip install --quiet --disable-pip-version-check -r tests/frameworks/requirements.txt
fi
if ! .venv/bin/python -c "import trace_viewer.serve" 2>/dev/null; then
  say "installing the Python package (python/: the notebook helper, trace-viewer serve) into .venv"
  .venv/bin/pip install --quiet --disable-pip-version-check -e python
fi
