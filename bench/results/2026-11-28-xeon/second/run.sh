#!/usr/bin/env bash
# Second device check: Vector512 against Vector256 on AVX-512 hardware, each beside LAMMPS in the same run.
set -u
t0=$(date +%s)
mkdir -p /tmp/s && tar -xJf .device/bundle2.tar.xz -C /tmp/s || exit 1
mkdir -p .device/run && mv /tmp/s/* .device/run/
R=$PWD/.device/run
export DOTNET_ROOT=$R/dotnet PATH=$R/dotnet:$PATH DOTNET_ROLL_FORWARD=Major DOTNET_CLI_TELEMETRY_OPTOUT=1
export LMP=$R/lmp/lmp LD_LIBRARY_PATH=$R/lmp/lib OMPI_MCA_mca_base_component_path=$R/lmp/lib/ompi-plugins OMPI_MCA_ess_singleton_isolated=1
B="dotnet $R/bench/DiffSim.Bench.dll"
uptime
for p in vector512 vector256; do echo "== training float, $p"; timeout 40 taskset -c 3 $B training --float --windows 10 --distribution --path $p 2>&1 | grep -E "kernel|wall"; done | tee $OUT/training.txt
echo "== training double, vector512"; timeout 40 taskset -c 3 $B training --windows 10 --distribution --path vector512 2>&1 | grep -E "wall" | tee -a $OUT/training.txt
for p in vector512 vector256; do echo "== macro $p"; timeout 75 taskset -c 4,5 $B macro --steps 500 --repeat 2 --no-scaling --path $p 2>&1 | tee $OUT/macro-$p.txt; done
echo "done after $(( $(date +%s) - t0 )) s"
