#!/usr/bin/env bash
# Runs on the device machine, from the repository root, with .device/bundle.tar.xz carried (bench/device/bundle.sh):
# the test suite natively, then the training step and in.lj beside LAMMPS on each SIMD path, one core each.
# About 7 minutes on a 16-core Xeon; results under $OUT.
set -u
t0=$(date +%s)
mkdir -p /tmp/bundle && tar -xJf .device/bundle.tar.xz -C /tmp/bundle || exit 1
# Below the repository root, so that the binaries find DiffSim.sln, the reference data and bench/peers above them.
mkdir -p .device/run && mv /tmp/bundle/* .device/run/
R=$PWD/.device/run
export DOTNET_ROOT=$R/dotnet PATH=$R/dotnet:$PATH DOTNET_ROLL_FORWARD=Major DOTNET_CLI_TELEMETRY_OPTOUT=1
export LMP=$R/lmp/lmp LD_LIBRARY_PATH=$R/lmp/lib OMPI_MCA_mca_base_component_path=$R/lmp/lib/ompi-plugins OMPI_MCA_ess_singleton_isolated=1
{ lscpu; nproc; uptime; } > "$OUT/machine.txt" 2>&1
grep -E "Model name|^Model:|Hypervisor" "$OUT/machine.txt"; grep -o -w -E "avx512[a-z_0-9]*" "$OUT/machine.txt" | sort -u | tr '\n' ' '; echo
B="dotnet $R/bench/DiffSim.Bench.dll"
echo "== tests"
(cd "$R/tests" && timeout 150 dotnet xunit.console.dll DiffSim.Tests.dll -parallel all -nocolor > "$OUT/tests.log" 2>&1; echo "rc=$?")
grep -E "Total:|\[FAIL\]" "$OUT/tests.log" | head -20
# Wall-clock percentiles: processor time in that VM came in whole ticks and read 2-3x the wall clock.
for p in vector256 vector512; do
  echo "== training float, $p"; timeout 40 taskset -c 3 $B training --float --windows 10 --distribution --path "$p" 2>&1 | grep -E "wall"
done | tee "$OUT/training.txt"
echo "== training double, vector256" | tee -a "$OUT/training.txt"
timeout 40 taskset -c 3 $B training --windows 10 --distribution 2>&1 | grep -E "wall" | tee -a "$OUT/training.txt"
for p in vector256 vector512; do
  echo "== macro $p"; timeout 200 taskset -c 4,5 $B macro --steps 1000 --repeat 3 --no-scaling --path "$p" 2>&1 | tee "$OUT/macro-$p.txt"
done
echo "done after $(( $(date +%s) - t0 )) s"
