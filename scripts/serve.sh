#!/usr/bin/env bash
# Serves the viewer on http://127.0.0.1:8080, opened on the bundled demo data set.
#   scripts/serve.sh                      the demo data set
#   scripts/serve.sh --server URL         print the link that opens a tracking server's experiments
#   scripts/serve.sh --with-mlflow        also start a local MLflow server on :5000 seeded with the demo
# Installs what it needs first (scripts/setup.sh; --with-mlflow also needs the test tools).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

server=""
with_mlflow=false
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --with-mlflow) with_mlflow=true; server="http://127.0.0.1:5000"; shift ;;
    *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done

if $with_mlflow; then
  scripts/setup.sh --test
  .venv/bin/python scripts/mlflow_server.py --port 5000 --seed &
  mlflow_pid=$!
  trap 'kill $mlflow_pid 2>/dev/null || true' EXIT
else
  scripts/setup.sh
fi

echo
if [ -n "$server" ]; then
  echo "Open http://127.0.0.1:8080/?server=$server"
else
  echo "Open http://127.0.0.1:8080/ (the demo data set)"
fi
echo
trunk serve --release
