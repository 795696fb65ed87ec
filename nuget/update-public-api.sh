#!/usr/bin/env bash
# Rewrites each package's PublicAPI.Unshipped.txt from the build's own RS0016 diagnostics: run it after an intended
# change to a public surface, then review the diff. Projects go in dependency order (Rpc first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false
lock="${RPC_BUILD_LOCK:-/tmp/rpc-build.lock}"
for project in runtime/Rpc runtime/Rpc.Etcd runtime/Rpc.Hosting; do
    printf '#nullable enable\n' >"$project/PublicAPI.Unshipped.txt"
    log="$(mktemp)"
    flock -o "$lock" dotnet build "$project" -c Release -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
    {
        printf '#nullable enable\n'
        grep -o "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
            | sed -e "s/^RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" \
            | LC_ALL=C sort -u
    } >"$project/PublicAPI.Unshipped.txt"
    echo "$project: $(($(wc -l <"$project/PublicAPI.Unshipped.txt") - 1)) public symbols"
    rm -f "$log"
done
