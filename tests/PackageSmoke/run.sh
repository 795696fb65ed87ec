#!/usr/bin/env bash
# Package smoke test: packs Rpc.Generators.sln into a temporary feed, builds a consumer project that references the
# "Rpc" package by id (no project references, warnings as errors), and runs it on every framework it targets.
# The consumer serializes a message and makes one call from an RpcClient to an RpcServer over loopback TCP. It proves
# the one package carries both the runtime (lib/) and the generator (analyzers/) and that a user's project needs
# nothing else.
#
#   tests/PackageSmoke/run.sh          # prints "PackageSmoke: 1 passed, 0 failed" or exits non-zero
#   KEEP_SMOKE_DIR=1 tests/PackageSmoke/run.sh   # keeps the temporary folder for a look
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
template="$root/tests/PackageSmoke/Consumer"
# Builds on a shared machine take turns through this lock; -o keeps any build server dotnet leaves running from
# inheriting (and so holding) it.
lock="${RPC_BUILD_LOCK:-/tmp/rpc-build.lock}"
locked_dotnet() { flock -o "$lock" dotnet "$@"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/rpc-package-smoke.XXXXXX")"
cleanup() {
    if [[ "${KEEP_SMOKE_DIR:-}" == 1 ]]; then echo "PackageSmoke: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() {
    echo "PackageSmoke: FAIL: $1" >&2
    if [[ -n "${2:-}" && -f "$2" ]]; then tail -n 60 "$2" >&2; fi
    echo "PackageSmoke: 0 passed, 1 failed"
    exit 1
}

feed="$work/feed"
consumer="$work/consumer"
mkdir -p "$feed" "$consumer"

# A version no cache or other package source can hold, so the consumer gets exactly what was packed here.
base_version="$(sed -n 's:.*<RpcVersion>\(.*\)</RpcVersion>.*:\1:p' "$root/Directory.Build.props")"
version="${base_version:-0.0.0}-smoke.$(date -u +%Y%m%d%H%M%S).$$"

echo "PackageSmoke: packing Rpc $version"
locked_dotnet pack "$root/Rpc.Generators.sln" -c Release -o "$feed" -p:PackageVersion="$version" \
    >"$work/pack.log" 2>&1 || fail "dotnet pack failed" "$work/pack.log"

# Packing the solution must yield exactly the product's packages (Rpc, and Rpc.Cli, Rpc.Etcd and Rpc.Hosting beside it),
# each of the right shape.
mapfile -t packages < <(cd "$feed" && LC_ALL=C ls)
expected_packages="Rpc.$version.nupkg Rpc.Cli.$version.nupkg Rpc.Etcd.$version.nupkg Rpc.Hosting.$version.nupkg"
[[ "${packages[*]}" == "$expected_packages" ]] \
    || fail "expected $expected_packages in the feed, found: ${packages[*]:-nothing}"
# Rpc.Cli is a .NET tool whose command is "rpc".
python3 - "$feed/Rpc.Cli.$version.nupkg" <<'PY' || fail "the Rpc.Cli package is not the rpc tool"
import re, sys, zipfile
package = zipfile.ZipFile(sys.argv[1])
names = set(package.namelist())
settings = [n for n in names if n.endswith("/DotnetToolSettings.xml")]
problems = [] if settings else ["no DotnetToolSettings.xml"]
# <Command Name="rpc" EntryPoint="Rpc.Cli.dll" Runner="dotnet" /> (older SDKs wrote CommandName="rpc").
if settings and not re.search(r'<Command\b[^>]*\bName="rpc"|CommandName="rpc"', package.read(settings[0]).decode("utf-8-sig")):
    problems.append("the tool's command is not rpc: " + package.read(settings[0]).decode("utf-8-sig"))
if not any(n.endswith("/Rpc.Cli.dll") for n in names):
    problems.append("no Rpc.Cli.dll")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
PY
python3 - "$feed/Rpc.Etcd.$version.nupkg" "$version" <<'PY' || fail "the Rpc.Etcd package's contents are wrong"
import re, sys, zipfile
package = zipfile.ZipFile(sys.argv[1])
names = set(package.namelist())
nuspec = package.read("Rpc.Etcd.nuspec").decode("utf-8-sig")
problems = ["missing " + n for n in ["lib/net10.0/Rpc.Etcd.dll", "lib/net10.0/Rpc.Etcd.xml", "lib/net8.0/Rpc.Etcd.dll",
                                     "lib/net8.0/Rpc.Etcd.xml", "README.md", "LICENSE"] if n not in names]
dependencies = set(re.findall(r'<dependency id="([^"]+)" version="([^"]+)"', nuspec))
for required in [("Rpc", sys.argv[2]), ("dotnet-etcd", "10.0.0")]:
    if required not in dependencies:
        problems.append("no dependency on %s %s" % required)
for problem in problems:
    print("  " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
python3 - "$feed/Rpc.Hosting.$version.nupkg" "$version" <<'PY' || fail "the Rpc.Hosting package's contents are wrong"
import re, sys, zipfile
package = zipfile.ZipFile(sys.argv[1])
names = set(package.namelist())
nuspec = package.read("Rpc.Hosting.nuspec").decode("utf-8-sig")
problems = []
for required in ["lib/net10.0/Rpc.Hosting.dll", "lib/net10.0/Rpc.Hosting.xml", "lib/net8.0/Rpc.Hosting.dll",
                 "lib/net8.0/Rpc.Hosting.xml", "README.md", "LICENSE"]:
    if required not in names:
        problems.append("missing " + required)
for name in names:
    if name.startswith("analyzers/") or (name.startswith("lib/") and not name.split("/")[-1].startswith("Rpc.Hosting.")):
        problems.append("unexpected file " + name)
# Rpc of the same version, whole (the generator's analyzers flow through it), in every framework group.
rpc = re.findall(r'<dependency id="Rpc" version="([^"]+)"([^/]*)/>', nuspec)
if len(rpc) != 2 or any(v != sys.argv[2] or "exclude" in rest for v, rest in rpc):
    problems.append("must depend on Rpc " + sys.argv[2] + " in both framework groups with nothing excluded: " + repr(rpc))
for problem in problems:
    print("  " + problem, file=sys.stderr)
print("PackageSmoke: Rpc.Hosting has", len(names), "files")
sys.exit(1 if problems else 0)
PY
python3 - "$feed/Rpc.$version.nupkg" <<'PY' || fail "the package's contents are wrong"
import re, sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
nuspec = zipfile.ZipFile(sys.argv[1]).read("Rpc.nuspec").decode("utf-8-sig")
problems = []
for required in ["lib/net10.0/Rpc.dll", "lib/net10.0/Rpc.xml", "lib/net8.0/Rpc.dll", "lib/net8.0/Rpc.xml",
                 "README.md", "LICENSE"]:
    if required not in names:
        problems.append("missing " + required)
for name in names:
    if name.startswith("lib/") and "Generators" in name:
        problems.append("the generator must not be a lib: " + name)
# The generator (with its analyzers) and the code fixes, side by side, and nothing else: no Roslyn assembly, no
# other language folder.
expected_analyzers = {"analyzers/dotnet/cs/Rpc.Generators.dll", "analyzers/dotnet/cs/Rpc.Generators.CodeFixes.dll"}
analyzers = {n for n in names if n.startswith("analyzers/")}
if analyzers != expected_analyzers:
    problems.append("analyzers/ must hold exactly %s, holds %s" % (sorted(expected_analyzers), sorted(analyzers)))
if "<id>Rpc</id>" not in nuspec:
    problems.append("package id is not Rpc")
if '<license type="expression">MIT</license>' not in nuspec:
    problems.append("license expression is not MIT")
dependencies = re.findall(r'<dependency id="([^"]+)"', nuspec)
for dependency in dependencies:
    if dependency.startswith("Microsoft.CodeAnalysis") or dependency.startswith("Rpc"):
        problems.append("must not depend on " + dependency)
for problem in problems:
    print("  " + problem, file=sys.stderr)
print("PackageSmoke: package has", len(names), "files; dependencies:", ", ".join(dependencies) or "none")
sys.exit(1 if problems else 0)
PY

# The consumer lives outside the repository, so none of the repository's MSBuild or NuGet settings apply to it.
cp "$template"/*.csproj "$template"/*.cs "$consumer/"
if grep -q "<ProjectReference" "$consumer"/*.csproj; then
    fail "the consumer must reference the package only, never a project"
fi
# The temporary feed first, then whatever sources the machine's own NuGet configuration lists (no <clear/>).
cat >"$consumer/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="rpc-package-smoke" value="$feed" />
  </packageSources>
</configuration>
XML
# A package folder of its own: nothing stale from an earlier run can stand in for the package just built.
export NUGET_PACKAGES="$work/packages"

echo "PackageSmoke: building the consumer"
locked_dotnet build "$consumer/Consumer.csproj" -c Release -warnaserror -p:RpcPackageVersion="$version" \
    >"$work/build.log" 2>&1 || fail "the consumer did not build" "$work/build.log"

# The runtime and the generator came from the package: the restore resolved Rpc as a package of that version
# and the analyzer the compiler loaded is the package's.
assets="$consumer/obj/project.assets.json"
grep -q "\"Rpc/$version\": {" "$assets" || fail "project.assets.json does not resolve Rpc/$version"
grep -A3 "\"Rpc/$version\": {" "$assets" | grep -q '"type": "package"' || fail "Rpc was not resolved as a package"
[[ -f "$NUGET_PACKAGES/rpc/$version/analyzers/dotnet/cs/Rpc.Generators.dll" ]] \
    || fail "the generator is not in the restored package"

for framework in net10.0 net8.0; do
    app="$consumer/bin/Release/$framework/Consumer.dll"
    [[ -f "$app" ]] || fail "no build output for $framework"
    # The consumer runs a server and a client on loopback; a hang must not stall CI.
    output="$(flock -o "$lock" timeout 120 dotnet "$app" 2>&1)" || fail "the consumer failed on $framework: $output"
    echo "PackageSmoke: $framework: $output"
    [[ "$output" == ok:* ]] || fail "the consumer on $framework did not report success"
done

# A second user project, written against the public names the issues give (channels, cluster, security options,
# hosting, health) and referencing Rpc, Rpc.Hosting and Rpc.Etcd by id: it must compile warning-free as written and
# run what one process can run.
surface="$work/surface"
mkdir -p "$surface"
cp "$root/tests/PackageSmoke/Surface"/*.csproj "$root/tests/PackageSmoke/Surface"/*.cs "$consumer/NuGet.config" "$surface/"
echo "PackageSmoke: building the public-surface project"
locked_dotnet build "$surface/Surface.csproj" -c Release -warnaserror -p:RpcPackageVersion="$version" \
    >"$work/surface-build.log" 2>&1 || fail "the public-surface project did not build" "$work/surface-build.log"
output="$(flock -o "$lock" timeout 120 dotnet "$surface/bin/Release/net10.0/Surface.dll" 2>&1)" || fail "the public-surface project failed: $output"
echo "PackageSmoke: surface: $output"
[[ "$output" == ok:* ]] || fail "the public-surface project did not report success"

echo "PackageSmoke: 1 passed, 0 failed"
