#!/usr/bin/env bash
# Runs on the device machine, from the repository root, with .device/bundle.tar.xz carried (bench/device/bundle.sh):
# the test suite natively, then the training step and in.lj beside LAMMPS on each SIMD path, one core each.
# About 5 minutes on a 16-core Xeon, at most 8; results under $OUT; exits with the test suite's status.
set -u
: "${OUT:?run through the device tool, which sets OUT}"
t0=$(date +%s)
# Below the repository root, so that the binaries find DiffSim.sln, the reference data and bench/peers above them;
# emptied first, so that a second run on a warm machine does not time the first run's binaries.
R=$PWD/.device/run
rm -rf "$R" && mkdir -p "$R" && tar -xJf .device/bundle.tar.xz -C "$R" || exit 1
export DOTNET_ROOT=$R/dotnet PATH=$R/dotnet:$PATH DOTNET_ROLL_FORWARD=Major DOTNET_CLI_TELEMETRY_OPTOUT=1
# LAMMPS' libraries for LAMMPS alone (the peer script runs $LMP), not for dotnet.
printf '#!/bin/sh\nLD_LIBRARY_PATH=%s/lmp/lib OMPI_MCA_mca_base_component_path=%s/lmp/lib/ompi-plugins OMPI_MCA_ess_singleton_isolated=1 exec %s/lmp/lmp "$@"\n' "$R" "$R" "$R" > "$R/lmp/run"
chmod +x "$R/lmp/run"
export LMP=$R/lmp/run
{ lscpu; nproc; uptime; } > "$OUT/machine.txt" 2>&1
grep -E "Model name|^Model:|Hypervisor" "$OUT/machine.txt"; grep -o -w -E "avx512[a-z_0-9]*" "$OUT/machine.txt" | sort -u | tr '\n' ' '; echo
bench=(dotnet "$R/bench/DiffSim.Bench.dll")

echo "== tests"
(cd "$R/tests" && timeout 120 dotnet xunit.console.dll DiffSim.Tests.dll -parallel all -nocolor > "$OUT/tests.log" 2>&1)
tests=$?
echo "rc=$tests"; grep -E "Total:|\[FAIL\]" "$OUT/tests.log" | head -20

# Wall-clock percentiles: processor time in that guest came in whole ticks and read 2-3x the wall clock.
for run in "float vector256" "float vector512" "double vector256"; do
  set -- $run
  precision=(); [ "$1" = float ] && precision=(--float)
  echo "== training $1, $2"
  timeout 40 taskset -c 3 "${bench[@]}" training "${precision[@]}" --windows 10 --distribution --path "$2" 2>&1 | grep -E "kernel|wall|rror"
done | tee "$OUT/training.txt"
for path in vector256 vector512; do
  echo "== macro $path"
  timeout 120 taskset -c 4,5 "${bench[@]}" macro --steps 1000 --repeat 2 --no-scaling --path "$path" 2>&1 | tee "$OUT/macro-$path.txt"
done
echo "done after $(( $(date +%s) - t0 )) s"
exit "$tests"
