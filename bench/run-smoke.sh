#!/usr/bin/env bash
# Load-tool smoke check: builds bench/Rpc.LoadTest and runs its quick mode once (every contender's server in its own
# process on loopback). It fails only when a contender does not complete a workload: timings are printed, never
# asserted. Ends with "LoadSmoke: 1 passed, 0 failed" or "LoadSmoke: 0 passed, 1 failed".
#
#   bash bench/run-smoke.sh
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Builds on a shared machine take turns through this lock; -o keeps a build server from inheriting (and holding) it.
# A caller that already holds the lock sets RPC_BUILD_LOCK_HELD=1, or the nested flock would wait for itself.
lock="${RPC_BUILD_LOCK:-/tmp/rpc-build.lock}"

fail() {
    echo "LoadSmoke: FAIL: $1" >&2
    echo "LoadSmoke: 0 passed, 1 failed"
    exit 1
}

build=(dotnet build bench/Rpc.LoadTest -c Release -nologo -v quiet)
if [[ "${RPC_BUILD_LOCK_HELD:-0}" != 1 ]] && command -v flock >/dev/null; then
    flock -o "$lock" "${build[@]}" </dev/null || fail "the load tool did not build"
else
    "${build[@]}" </dev/null || fail "the load tool did not build"
fi

# The tool stops itself (a 120 s deadline in quick mode, its servers killed with it); timeout is the last resort.
timeout 150 dotnet bench/Rpc.LoadTest/bin/Release/net10.0/Rpc.LoadTest.dll --quick </dev/null
status=$?
((status == 0)) || fail "a contender did not complete (exit code $status)"
echo "LoadSmoke: 1 passed, 0 failed"
