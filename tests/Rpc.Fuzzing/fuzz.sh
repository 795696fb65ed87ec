#!/usr/bin/env bash
# Fuzzes the runtime's decoders with libFuzzer and SharpFuzz.
#   tests/Rpc.Fuzzing/fuzz.sh [target|all] [seconds per target]      (defaults: all, $RPC_FUZZ_SECONDS or 60)
# Publishes tests/Rpc.Fuzzing into artifacts/fuzz/app, instruments that copy of Rpc.dll with the `sharpfuzz` tool
# (SharpFuzz.CommandLine, installed into artifacts/fuzz/tools), builds our libFuzzer driver (libfuzzer-driver.c)
# with clang, and runs each target for the time given from its committed seed corpus (corpus/<target>) plus what
# earlier runs found (artifacts/fuzz/corpus/<target>). A crash, a timeout or a broken invariant fails the target:
# the input is kept in artifacts/fuzz/findings and printed in base64, so a CI log alone is enough to replay it
# (`dotnet run --project tests/Rpc.Fuzzing -c Release -- <target> --replay <file>`); add it to corpus/<target>
# once fixed. RPC_FUZZ_WORK moves artifacts/fuzz elsewhere (two runs at once need two).
# Ends with "Fuzz: N passed, N failed" (one per target); exits non-zero if any target failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
which_target="${1:-all}"
seconds="${2:-${RPC_FUZZ_SECONDS:-60}}"
work="${RPC_FUZZ_WORK:-$root/artifacts/fuzz}"
lock="${RPC_BUILD_LOCK:-/tmp/rpc-build.lock}"
sharpfuzz_version=2.3.0

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false
# The driver starts the app host directly: it finds the runtime through DOTNET_ROOT wherever dotnet is installed.
export DOTNET_ROOT="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"
mkdir -p "$work"

# --- Tools: clang with libFuzzer (Debian: clang and libclang-rt-<version>-dev), the sharpfuzz tool ------------------
if ! command -v clang >/dev/null || ! echo 'int LLVMFuzzerTestOneInput(const char *d, long s) { return 0; }' \
        | clang -x c -fsanitize=fuzzer -o "$work/probe" - >/dev/null 2>&1; then
    version="$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)"
    echo "fuzz: installing clang and libFuzzer"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang "libclang-rt-${version:-14}-dev" >/dev/null
fi
tools="$work/tools"
if [[ ! -x "$tools/sharpfuzz" ]]; then
    dotnet tool install SharpFuzz.CommandLine --version "$sharpfuzz_version" --tool-path "$tools" >/dev/null
fi

# --- Build: the fuzzing app with an instrumented Rpc.dll, and the driver -------------------------------------------
rm -rf "$work/app"
if ! flock -o "$lock" dotnet publish "$here/Rpc.Fuzzing.csproj" -c Release -o "$work/app" </dev/null >"$work/publish.log" 2>&1; then
    tail -n 30 "$work/publish.log" >&2
    echo "fuzz: the fuzzing app did not build" >&2
    echo "Fuzz: 0 passed, 1 failed"
    exit 1
fi
"$tools/sharpfuzz" "$work/app/Rpc.dll" >/dev/null
clang -O1 -g -fsanitize=fuzzer "$here/libfuzzer-driver.c" -o "$work/driver"

if [[ "$which_target" == all ]]; then
    mapfile -t targets < <("$work/app/Rpc.Fuzzing" --list)
else
    targets=("$which_target")
fi

# --- Run: each target for the time given --------------------------------------------------------------------------
passed=0
failed=0
mkdir -p "$work/findings"
for target in "${targets[@]}"; do
    seeds="$here/corpus/$target"
    found="$work/corpus/$target"
    log="$work/$target.log"
    mkdir -p "$found" "$seeds"
    before="$(ls "$work/findings" | wc -l)"
    status=0
    RPC_FUZZ_COMMAND="$work/app/Rpc.Fuzzing" RPC_FUZZ_TARGET="$target" "$work/driver" \
        -max_total_time="$seconds" -timeout=30 -max_len=8192 -print_final_stats=1 \
        -artifact_prefix="$work/findings/$target-" "$found" "$seeds" </dev/null >"$log" 2>&1 || status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    coverage="$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 || true)"
    after="$(ls "$work/findings" | wc -l)"
    if ((status == 0 && after == before)); then
        echo "fuzz: $target: ${runs:-0} inputs in ${seconds} s, ${coverage:-ft: 0} features, corpus $(ls "$found" | wc -l) + $(ls "$seeds" | wc -l) seeds: no crash"
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "fuzz: $target FAILED (exit code $status) after ${runs:-?} inputs; the end of its log:" >&2
        grep -v '^#[0-9]' "$log" | tail -n 40 >&2
        for finding in $(ls -t "$work/findings" | grep "^$target-" | head -n 3); do
            echo "fuzz: input saved as $work/findings/$finding; base64:" >&2
            base64 -w 0 "$work/findings/$finding" >&2
            echo >&2
        done
    fi
done
echo "Fuzz: $passed passed, $failed failed"
((failed == 0))
