#!/usr/bin/env bash
# Packs what the device machine (no .NET, no LAMMPS there) needs to run the test suite and the benches natively:
# the .NET runtime, the Release test binaries with xunit's console runner, the bench, and Debian's LAMMPS with its
# libraries. Writes .device/bundle.tar.xz (about 57 MB; the device tool carries at most 64 MiB with the tree).
# Run from the repository root after `dotnet build -c Release DiffSim.sln`; add `/.device/` to .git/info/exclude.
set -euo pipefail
shopt -s nullglob
root=$PWD
stage=$root/.device/stage
rm -rf "$stage" && mkdir -p "$stage/dotnet/host" "$stage/dotnet/shared" "$stage/lmp/lib"

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
cp "$dotnet_root/dotnet" "$stage/dotnet/"
cp -r "$dotnet_root/host/fxr" "$stage/dotnet/host/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$stage/dotnet/shared/"

# xunit's v2 console runner runs the test assembly under the bare runtime (dotnet test needs the SDK).
runner=${NUGET_PACKAGES:-$HOME/.nuget/packages}/xunit.runner.console/2.4.1/tools/netcoreapp2.0
if [ ! -d "$runner" ]; then
  tmp=$(mktemp -d)
  printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework>' \
    '<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>' \
    '<ItemGroup><PackageDownload Include="xunit.runner.console" Version="[2.4.1]" /></ItemGroup></Project>' > "$tmp/r.csproj"
  dotnet restore "$tmp/r.csproj" >/dev/null
  rm -rf "$tmp"
fi

copy_bin() { # copy_bin FROM TO: a Release output without other platforms' natives, satellite languages and symbols
  cp -r "$1" "$2"
  (cd "$2" && rm -rf cs de es fr it ja ko pl pt-BR ru tr zh-Hans zh-Hant arm64 x86 amd64 ./*.pdb)
  if [ -d "$2/runtimes" ]; then (cd "$2/runtimes" && find . -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +); fi
}
copy_bin tests/DiffSim.Tests/bin/Release/net10.0 "$stage/tests"
cp "$runner"/* "$stage/tests/"
# That runner does not resolve natives through the test's deps.json: SkiaSharp's must sit beside the assembly.
for f in "$stage"/tests/runtimes/linux-x64/native/*.so; do ln -f "$f" "$stage/tests/"; done
copy_bin bench/DiffSim.Bench/bin/Release/net10.0 "$stage/bench"

# LAMMPS and every library it loads except the C library's own, which the device machine has; Open MPI's plug-ins
# for its singleton start.
lmp=$(command -v lmp) || { echo "LAMMPS not found (apt-get install -y lammps)" >&2; exit 3; }
cp -L "$lmp" "$stage/lmp/"
if ldd "$lmp" | grep -q "not found"; then echo "LAMMPS misses libraries here:" >&2; ldd "$lmp" | grep "not found" >&2; exit 3; fi
for lib in $(ldd "$lmp" | awk '$3 ~ /^\// {print $3}'); do
  case $(basename "$lib") in libc.so.*|libm.so.*|libresolv.so.*|libpthread.so.*|libdl.so.*|librt.so.*) ;; *) cp -L "$lib" "$stage/lmp/lib/";; esac
done
cp -r /usr/lib/x86_64-linux-gnu/openmpi/lib/openmpi3 "$stage/lmp/lib/ompi-plugins"

tar -cf - -C "$stage" . | xz -T0 -6 > "$root/.device/bundle.tar.xz"
ls -l "$root/.device/bundle.tar.xz"
