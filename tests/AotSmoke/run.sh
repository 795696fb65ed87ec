#!/usr/bin/env bash
# Native AOT smoke test: publishes tests/AotSmoke with Native AOT for linux-x64, for net10.0 and net8.0, fails on any trim or AOT warning
# (IL2xxx, IL3xxx) anywhere in the publish log, then runs the native binary and checks that it reports success:
# a serializer round trip and real calls from an RpcClient to an RpcServer over loopback TCP.
#
#   tests/AotSmoke/run.sh          # prints "AotSmoke: 6 passed, 0 failed" or exits non-zero
#
# It then does the same for every sample (Greeter, Streaming, HostedGreeter, ClusterManager; net10.0), published
# as the README tells users to.
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
    echo "AotSmoke: 0 passed, 6 failed"
    exit 1
}

# The runtime and generated code on both frameworks the runtime targets.
publish_smoke() {
    local framework="$1" log="$work/publish-$1.log" status=0 output binary
    # The native compiler is incremental: remove what an earlier publish left, so every warning is raised again
    # and lands in this log rather than being skipped as up to date.
    rm -rf "$root/tests/AotSmoke/obj/Release/$framework/linux-x64" "$root/tests/AotSmoke/bin/Release/$framework/linux-x64"
    echo "AotSmoke: publishing with Native AOT for $framework"
    locked_dotnet publish "$project" -c Release -r linux-x64 -f "$framework" -o "$work/publish-$framework" >"$log" 2>&1 || status=$?
    # Warnings are errors in this repository, so a trim or AOT problem can show up as either.
    if grep -Eq '(warning|error) IL[23][0-9]{3}' "$log"; then
        grep -E '(warning|error) IL[23][0-9]{3}' "$log" | sort -u >&2
        fail "the $framework publish reported trim or AOT warnings"
    fi
    [[ "$status" == 0 ]] || fail "dotnet publish for $framework failed" "$log"
    binary="$work/publish-$framework/AotSmoke"
    [[ -x "$binary" ]] || fail "no native binary at $binary"
    # A native binary has no managed entry assembly beside it; this catches a publish that silently was not AOT.
    [[ ! -f "$work/publish-$framework/AotSmoke.dll" ]] || fail "the $framework publish holds AotSmoke.dll: it was not compiled natively"
    # It runs a server and a client on loopback; a hang must not stall CI.
    output="$(timeout 120 "$binary" 2>&1)" || fail "the native $framework binary failed: $output"
    echo "$output"
    [[ "$output" == *"AotSmoke: ok"* ]] || fail "the native $framework binary did not report success"
}

publish_smoke net10.0
publish_smoke net8.0

# The samples, as a user would publish them (README): the same rules, and each exchange must complete. The
# Streaming sample covers server, client and duplex streams, one-way calls and deadlines under Native AOT.
publish_sample() {
    local name="$1" expected="$2" log="$work/$1-publish.log" status=0 output
    rm -rf "$root/samples/$name/obj/Release/net10.0/linux-x64" "$root/samples/$name/bin/Release/net10.0/linux-x64"
    echo "AotSmoke: publishing samples/$name with Native AOT (net10.0)"
    locked_dotnet publish "$root/samples/$name/$name.csproj" -c Release -r linux-x64 -o "$work/$name" >"$log" 2>&1 || status=$?
    if grep -Eq '(warning|error) IL[23][0-9]{3}' "$log"; then
        grep -E '(warning|error) IL[23][0-9]{3}' "$log" | sort -u >&2
        fail "the $name sample's publish reported trim or AOT warnings"
    fi
    [[ "$status" == 0 ]] || fail "dotnet publish of the $name sample failed" "$log"
    [[ -x "$work/$name/$name" && ! -f "$work/$name/$name.dll" ]] || fail "the $name sample was not compiled natively"
    output="$(timeout 120 "$work/$name/$name" 2>&1)" || fail "the native $name sample failed: $output"
    echo "$output"
    [[ "$output" == *"$expected"* ]] || fail "the native $name sample did not finish its exchange"
}

publish_sample Greeter "100 concurrent calls answered"
publish_sample Streaming "hit its 200 ms deadline"
publish_sample HostedGreeter "call scopes were disposed"
publish_sample ClusterManager "failed tasks: 0; live workers in sync: yes"

echo "AotSmoke: 6 passed, 0 failed"
