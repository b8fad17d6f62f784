#!/usr/bin/env bash
# Benchmarks (not tests): prints the static bundle sizes of the release build and the native time to parse
# generated agent traces and build their span trees, 100 to 50,000 spans (median of 5); the trace table on
# 10,000 traces, the span viewer on traces of 1,000 to 50,000 spans and huge inputs in headless Chromium.
# The comparison with MLflow's own UI is bench/compare_bench.py (it needs half an hour).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
scripts/setup.sh
trunk build --release >/dev/null 2>&1 || trunk build --release

echo "## Static bytes (release build, dist/)"
echo
echo "| file | raw | gzip -9 | brotli (the build's .br) |"
echo "| --- | ---: | ---: | ---: |"
total_raw=0
total_gzip=0
total_brotli=0
for file in dist/*.wasm dist/*.js dist/*.css; do
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  # scripts/precompress.mjs skips files under 1 KB (loader.js): those are sent as they are.
  br=$(stat -c %s "$file.br" 2>/dev/null || echo "$raw")
  total_raw=$((total_raw + raw))
  total_gzip=$((total_gzip + gz))
  total_brotli=$((total_brotli + br))
  printf '| %s | %d KB | %d KB | %d KB |\n' "$(basename "$file")" $((raw / 1024)) $((gz / 1024)) $((br / 1024))
done
printf '| **total** | **%d KB** | **%d KB** | **%d KB** |\n' $((total_raw / 1024)) $((total_gzip / 1024)) $((total_brotli / 1024))
echo
echo "## Parsing and span tree (native release build)"
echo
cargo run --quiet --release --example parse_bench
echo
echo "## Trace table, 10,000 traces in file mode (headless Chromium, release build)"
echo
scripts/setup.sh --test >/dev/null
.venv/bin/python bench/table_bench.py
echo
echo "## Span viewer, one trace of 1,000 to 50,000 spans (headless Chromium, release build)"
echo
.venv/bin/python bench/span_bench.py
echo
echo "## Comparing runs and folding loops (headless Chromium, release build)"
echo
.venv/bin/python bench/runs_bench.py
echo
echo "## Huge inputs (headless Chromium, release build)"
echo
.venv/bin/python bench/huge_bench.py
echo
echo "## trace-viewer serve: bytes on the wire for a 5,000-span trace"
echo
.venv/bin/python bench/serve_bench.py
