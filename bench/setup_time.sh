#!/usr/bin/env bash
# How long the README's serve command takes on a fresh machine until it serves the demo, printed in seconds.
# A fresh machine is imitated: a clean clone of HEAD, a new HOME holding only the Rust toolchain's proxies
# (rustup's), so an empty cargo registry and no trunk, wasm-bindgen or node_modules. Uses port 8080, so stop
# any scripts/serve.sh first. Takes about 6 minutes on 2 cores; leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
if curl -s -o /dev/null http://127.0.0.1:8080/; then
  echo "setup_time: something already answers on 127.0.0.1:8080; stop it first" >&2
  exit 2
fi
fresh=$(mktemp -d)
trap 'pkill -f "trunk serve" 2>/dev/null || true; rm -rf "$fresh"' EXIT
mkdir -p "$fresh/home/.cargo/bin"
for tool in cargo rustc rustup rustfmt cargo-fmt cargo-clippy clippy-driver rustdoc; do
  ln -s "$HOME/.cargo/bin/$tool" "$fresh/home/.cargo/bin/$tool"
done
git clone -q . "$fresh/clone"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" HOME="$fresh/home" CARGO_HOME="$fresh/home/.cargo"
export PATH="$fresh/home/.cargo/bin:/usr/local/bin:/usr/bin:/bin"
start=$(date +%s)
(cd "$fresh/clone" && exec setsid scripts/serve.sh) > "$fresh/serve.log" 2>&1 &
serving=$!
until curl -sf http://127.0.0.1:8080/ | grep -q "trace-viewer"; do
  if ! kill -0 "$serving" 2>/dev/null; then
    tail -30 "$fresh/serve.log" >&2
    echo "setup_time: scripts/serve.sh stopped before serving" >&2
    exit 1
  fi
  sleep 2
done
echo "scripts/serve.sh on a fresh machine: the demo served after $(( $(date +%s) - start )) s"
kill -- -"$serving" 2>/dev/null || true
