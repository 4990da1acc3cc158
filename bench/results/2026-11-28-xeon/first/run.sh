#!/usr/bin/env bash
# Device-machine check: native AVX-512 test suite, in.lj vs LAMMPS, the training step. Results under $OUT.
set -u
t0=$(date +%s)
mkdir -p /tmp/s && tar -xJf .device/bundle.tar.xz -C /tmp/s || exit 1
mkdir -p .device/run && mv /tmp/s/* .device/run/   # below the repo root, so the binaries find DiffSim.sln and bench/peers
R=$PWD/.device/run
export DOTNET_ROOT=$R/dotnet PATH=$R/dotnet:$PATH DOTNET_ROLL_FORWARD=Major DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_gcServer=0
export LMP=$R/lmp/lmp LD_LIBRARY_PATH=$R/lmp/lib OMPI_MCA_mca_base_component_path=$R/lmp/lib/ompi-plugins OMPI_MCA_ess_singleton_isolated=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
{ lscpu; grep -m1 flags /proc/cpuinfo; nproc; free -g; uptime; } > $OUT/machine.txt 2>&1
echo "unpacked after $(( $(date +%s) - t0 )) s"; grep -E "Model name|^CPU\(s\)|MHz" $OUT/machine.txt; grep -o -w -E "avx512[a-z_0-9]*" $OUT/machine.txt | sort -u | tr '\n' ' '; echo
B="dotnet $R/bench/DiffSim.Bench.dll"
( cd /tmp && timeout 60 $LMP -h >/dev/null 2>&1; echo "lmp -h rc=$?" )
echo "== tests (native)"; ( cd $R/tests && timeout 150 dotnet xunit.console.dll DiffSim.Tests.dll -parallel all -maxthreads 16 -nocolor -xml $OUT/tests.xml > $OUT/tests.log 2>&1; echo "rc=$?" ); grep -E "Total:|\[FAIL\]" $OUT/tests.log | head -20
echo "== training (core 3)"; for a in "--float --windows 40 --distribution" "--windows 40" "--float --nn --windows 10"; do echo "-- $a"; timeout 60 taskset -c 3 $B training $a 2>&1 | grep -E "step|ratio|wall|network"; done | tee $OUT/training.txt
echo "== training float, AVX-512 off"; DOTNET_EnableAVX512F=0 timeout 40 taskset -c 3 $B training --float --windows 40 --distribution 2>&1 | grep -E "step|ratio|wall" | tee $OUT/training-avx2.txt
echo "== macro (cores 4,5)"; timeout 200 taskset -c 4,5 $B macro --steps 1000 --repeat 3 2>&1 | tee $OUT/macro.txt
echo "== macro, AVX-512 off"; DOTNET_EnableAVX512F=0 timeout 120 taskset -c 4,5 $B macro --steps 1000 --repeat 2 --no-scaling 2>&1 | tee $OUT/macro-avx2.txt
echo "== diffsim fit"; ( cd /tmp && time timeout 60 dotnet $R/tests/diffsim.dll fit -o /tmp/fit > $OUT/fit.log 2>&1; echo rc=$? ); tail -5 $OUT/fit.log
echo "done after $(( $(date +%s) - t0 )) s"
