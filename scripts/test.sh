#!/usr/bin/env bash
# Runs every test: native (model, query, formatting), in-browser (wasm-bindgen-test in headless Chromium)
# and end to end (a real MLflow server seeded through the SDK, the release build, Chromium driven through
# the user's flows). Installs what the tests need first (scripts/setup.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver
# One run from scratch gains nothing from incremental caches, which take hundreds of MB of disk.
export CARGO_INCREMENTAL=0

scripts/setup.sh --test

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# A full disk shows up as a linker killed by SIGBUS; the free space printed here tells it apart.
df -h . | tail -1 | awk '{ print "disk free: " $4 " of " $2 }'

step "style (rustfmt, clippy on the native and the wasm build)"
cargo fmt --all -- --check
(cd fuzz && cargo fmt -- --check)
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
# The pure layers name no browser or UI crate (a crate of their own would enforce it, at 3.3 KB of wasm:
# docs/PERFORMANCE.md).
pure="src/model src/query src/analytics src/location.rs src/axis.rs src/raster.rs src/markdown.rs src/format.rs src/sorting.rs"
if grep -rnE '(leptos|web_sys|wasm_bindgen|js_sys|gloo_net|crate::(api|data|pacing|ui))::|^\s*use (leptos|web_sys|wasm_bindgen|js_sys|gloo_net)' $pure; then
  echo "the pure layers above must not use leptos, web-sys, wasm-bindgen, js-sys, gloo or the layers above them" >&2
  exit 1
fi

step "native tests"
cargo test --quiet

step "browser tests (wasm-bindgen-test, headless Chromium)"
# No --quiet here: cargo would pass it on to wasm-bindgen-test-runner, which rejects it.
cargo test --target wasm32-unknown-unknown --test browser

# The end-to-end tests get a build of their own: `scripts/serve.sh` may be serving (and rebuilding) dist/ in this
# checkout meanwhile. trunk's watcher ignores target/.
step "release build (into target/e2e-dist)"
trunk build --release --dist target/e2e-dist

step "Python unit tests (the rules of trace-viewer serve and the notebook helper)"
.venv/bin/python -m pytest -q python/tests

step "end-to-end tests (real MLflow server, headless Chromium)"
TRACE_VIEWER_DIST="$PWD/target/e2e-dist" .venv/bin/python -m pytest tests/e2e
