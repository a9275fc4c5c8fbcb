#!/usr/bin/env bash
# Builds the libFuzzer harnesses (swiftc -sanitize=fuzzer) and runs them. See README.md here.
#   Fuzz/fuzz.sh smoke [SECONDS]          each harness for SECONDS (default 30) from its seeds, then every regression input
#   Fuzz/fuzz.sh run HARNESS [OPTION...]  one harness with libFuzzer options, its corpus kept in .build-fuzz/corpus/HARNESS
# FUZZ_CONFIGURATION (debug) and FUZZ_SANITIZERS (fuzzer,address) choose the build.
set -euo pipefail
# libFuzzer, not the Swift runtime's backtracer, must handle a crash: it writes the input that caused it.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")"
harnesses=(FuzzJSON FuzzTokenizerFiles FuzzSafetensors FuzzTSV FuzzCountStore FuzzDatasets)
configuration=${FUZZ_CONFIGURATION:-debug}
sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}
scratch=.build-fuzz/$configuration-${sanitizers//,/-}
for harness in "${harnesses[@]}"; do
    swift build -c "$configuration" --scratch-path "$scratch" -Xswiftc "-sanitize=$sanitizers" --product "$harness" 2>&1 | tail -1
done
binaries=$(swift build -c "$configuration" --scratch-path "$scratch" --show-bin-path)
options=(-timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1)
case "${1:-smoke}" in
smoke)
    seconds=${2:-30}
    for harness in "${harnesses[@]}"; do
        corpus=$(mktemp -d)
        echo "== $harness: $seconds s from the seeds"
        "$binaries/$harness" "${options[@]}" -max_total_time="$seconds" "$corpus" "Corpus/$harness" 2>&1 | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|invariant)" || true
        test "${PIPESTATUS[0]}" -eq 0
        rm -rf "$corpus"
        if compgen -G "Regressions/$harness/*" > /dev/null; then
            echo "== $harness: $(ls "Regressions/$harness" | wc -l) regression inputs"
            "$binaries/$harness" "${options[@]}" Regressions/"$harness"/* 2>&1 | tail -1
        fi
    done
    ;;
run)
    harness=$2
    shift 2
    mkdir -p ".build-fuzz/corpus/$harness" "Regressions/$harness"
    "$binaries/$harness" "${options[@]}" -artifact_prefix="Regressions/$harness/" "$@" ".build-fuzz/corpus/$harness" "Corpus/$harness"
    ;;
*)
    echo "usage: $0 smoke [SECONDS] | run HARNESS [LIBFUZZER-OPTION...]" >&2
    exit 2
    ;;
esac
