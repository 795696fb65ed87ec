#!/usr/bin/env bash
# CI smoke check for the load tool: runs its quick mode once (every contender's server in its own process on
# loopback) and fails only when a contender does not complete a workload. Timings are printed, never asserted.
# Usage: bash bench/run-smoke.sh
set -u
cd "$(dirname "$0")/.."

# Builds take the shared build lock, as everywhere on this machine (the run itself does not need it). A caller
# that already holds the lock sets RPC_BUILD_LOCK_HELD=1, or the nested flock would wait for itself.
if [ "${RPC_BUILD_LOCK_HELD:-0}" != "1" ] && command -v flock >/dev/null 2>&1; then
  flock -w 900 /tmp/rpc-build.lock dotnet build -c Release bench/Rpc.LoadTest -nologo -v quiet
else
  dotnet build -c Release bench/Rpc.LoadTest -nologo -v quiet
fi
build=$?

status=1
if [ "$build" -eq 0 ]; then
  # The tool stops itself (55 s deadline in quick mode); timeout is the last resort.
  timeout 120 dotnet run -c Release --no-build --project bench/Rpc.LoadTest -- --quick
  status=$?
fi

if [ "$status" -eq 0 ]; then
  echo "LoadSmoke: 1 passed, 0 failed"
  exit 0
fi
echo "load smoke failed: build exit $build, run exit $status" >&2
echo "LoadSmoke: 0 passed, 1 failed"
exit 1
