#!/usr/bin/env bash
# Runs each cargo-fuzz target briefly (FUZZ_SECONDS, default 20 s per target;
# CI runs eight targets), starting from the committed seeds in fuzz/seeds/
# (one folder per target, tlv/ for the three TLV targets). Exits non-zero on
# a crash; the crashing input is left in fuzz/artifacts/<target>/ and must
# become a named regression test in fuzz/tests/regressions.rs.
#
# Toolchain: nightly when rustup has one; otherwise stable with
# RUSTC_BOOTSTRAP=1; otherwise without a sanitizer (-s none).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
TARGETS=(decode round_trip router envelope topic params node differential)
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# Picks the first way of building the targets that works here.
mode=""
fuzz() { cargo fuzz "$@"; }
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    if cargo +nightly fuzz build --fuzz-dir fuzz >/dev/null 2>&1; then
        mode="nightly"
        fuzz() { cargo +nightly fuzz "$@"; }
    fi
fi
if [ -z "$mode" ] && RUSTC_BOOTSTRAP=1 cargo fuzz build --fuzz-dir fuzz >/dev/null 2>&1; then
    mode="stable with RUSTC_BOOTSTRAP=1"
    fuzz() { RUSTC_BOOTSTRAP=1 cargo fuzz "$@"; }
fi
if [ -z "$mode" ]; then
    mode="stable, no sanitizer"
    fuzz() { RUSTC_BOOTSTRAP=1 cargo fuzz "$1" -s none "${@:2}"; }
    fuzz build --fuzz-dir fuzz
fi
echo "==> fuzzing with $mode, ${SECONDS_PER_TARGET}s per target"

for target in "${TARGETS[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    echo "==> fuzz target $target"
    # The TLV targets share one seed folder.
    case "$target" in
        decode | round_trip | router) seeds="fuzz/seeds/tlv" ;;
        *) seeds="fuzz/seeds/$target" ;;
    esac
    # New inputs go to the (ignored) corpus dir; the seeds are read only.
    fuzz run --fuzz-dir fuzz "$target" "$corpus" "$seeds" -- \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=8192 -rss_limit_mb=2048 \
        -print_final_stats=1
done
echo "==> fuzzing found no crash"
