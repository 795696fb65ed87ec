#!/usr/bin/env bash
# Native AOT smoke test: publishes tests/AotSmoke with Native AOT for linux-x64, fails on any trim or AOT warning
# (IL2xxx, IL3xxx) anywhere in the publish log, then runs the native binary and checks that it reports success:
# a serializer round trip and real calls from an RpcClient to an RpcServer over loopback TCP.
#
#   tests/AotSmoke/run.sh          # prints "AotSmoke: 1 passed, 0 failed" or exits non-zero
#
# Needs a C toolchain for the native link (clang or gcc) and zlib's headers: .ci/run installs clang and zlib1g-dev.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
project="$root/tests/AotSmoke/AotSmoke.csproj"
# Builds on a shared machine take turns through this lock; -o keeps any build server dotnet leaves running from
# inheriting (and so holding) it.
lock="${RPC_BUILD_LOCK:-/tmp/rpc-build.lock}"
locked_dotnet() { flock -o "$lock" dotnet "$@"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/rpc-aot-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
    echo "AotSmoke: FAIL: $1" >&2
    if [[ -n "${2:-}" && -f "$2" ]]; then tail -n 60 "$2" >&2; fi
    echo "AotSmoke: 0 passed, 1 failed"
    exit 1
}

# The native compiler is incremental: remove what an earlier publish left, so every warning is raised again
# and lands in this log rather than being skipped as up to date.
rm -rf "$root/tests/AotSmoke/obj/Release/net8.0/linux-x64" "$root/tests/AotSmoke/bin/Release/net8.0/linux-x64"

echo "AotSmoke: publishing with Native AOT"
log="$work/publish.log"
status=0
locked_dotnet publish "$project" -c Release -r linux-x64 -o "$work/publish" >"$log" 2>&1 || status=$?

# Warnings are errors in this repository, so a trim or AOT problem can show up as either.
if grep -Eq '(warning|error) IL[23][0-9]{3}' "$log"; then
    grep -E '(warning|error) IL[23][0-9]{3}' "$log" | sort -u >&2
    fail "the publish reported trim or AOT warnings"
fi
[[ "$status" == 0 ]] || fail "dotnet publish failed" "$log"

binary="$work/publish/AotSmoke"
[[ -x "$binary" ]] || fail "no native binary at $binary"
# A native binary has no managed entry assembly beside it; this catches a publish that silently was not AOT.
[[ ! -f "$work/publish/AotSmoke.dll" ]] || fail "the publish output holds AotSmoke.dll: it was not compiled natively"

# It runs a server and a client on loopback; a hang must not stall CI.
output="$(timeout 120 "$binary" 2>&1)" || fail "the native binary failed: $output"
echo "$output"
[[ "$output" == *"AotSmoke: ok"* ]] || fail "the native binary did not report success"

echo "AotSmoke: 1 passed, 0 failed"
