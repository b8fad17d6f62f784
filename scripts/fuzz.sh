#!/usr/bin/env bash
# Runs each fuzz target (fuzz/fuzz_targets) for a while, starting from corpora seeded with the repository's
# captured trace files and probed filters. A crash stops the run and leaves its input under
# fuzz/artifacts/<target>/; replay it with `cargo fuzz run <target> <file>` and add a regression test.
#
#   scripts/fuzz.sh            # 60 seconds per target
#   scripts/fuzz.sh 600 filter # 10 minutes, one target
#
# cargo-fuzz needs nightly compiler flags; this machine has only the stable toolchain, so RUSTC_BOOTSTRAP=1
# lets stable rustc accept them (the sanitizer instruments our code; std stays uninstrumented).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1

SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("${@:-filter trace_file markdown}")
read -r -a TARGETS <<< "${TARGETS[*]}"

command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --version 0.13.2 --locked

seed_corpora() {
    mkdir -p fuzz/corpus/filter fuzz/corpus/trace_file fuzz/corpus/markdown
    # Filters probed on a live server (tests/fixtures/filter_grammar_results.md), one per file.
    grep -o '^| `[^`]*`' tests/fixtures/filter_grammar_results.md | sed 's/^| `//; s/`$//' | while IFS= read -r filter; do
        printf '%s' "$filter" > "fuzz/corpus/filter/seed-$(printf '%s' "$filter" | sha1sum | cut -c1-16)"
    done
    find tests/fixtures/captured tests/fixtures/mlflow tests/fixtures/otlp tests/fixtures/legacy -name '*.json*' -size -200k \
        -exec cp {} fuzz/corpus/trace_file/ \;
    printf '# Title\n\n*a* **b** `c` [d](https://e) ![f](g)\n\n> q\n\n- x\n- y\n\n```py\nz\n```\n' > fuzz/corpus/markdown/seed-basic
    # Long adversarial runs (issue 18): a parse that is not linear times out on them (-timeout below).
    python3 -c "import sys; sys.stdout.write('[' * 60000 + ']')" > fuzz/corpus/markdown/seed-brackets
    python3 -c "import sys; sys.stdout.write(''.join('\`' * n + 'a' for n in range(1, 340)))" > fuzz/corpus/markdown/seed-ticks
    python3 -c "import sys; sys.stdout.write('*_\`[' * 15000)" > fuzz/corpus/markdown/seed-marks
}

seed_corpora
for target in "${TARGETS[@]}"; do
    echo "== fuzzing $target for ${SECONDS_PER_TARGET}s"
    # Trace files are larger than libFuzzer's default 4 KB inputs, and markdown is fuzzed with long inputs too
    # (complexity: a 1-second timeout catches a quadratic parse of 64 KB).
    max_len=4096
    [ "$target" = trace_file ] && max_len=262144
    [ "$target" = markdown ] && max_len=65536
    cargo fuzz run -O "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -max_len="$max_len" -timeout="$([ "$target" = markdown ] && echo 1 || echo 10)" \
        -rss_limit_mb=4096 -print_final_stats=1
done
