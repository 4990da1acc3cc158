#!/bin/bash
# Runs one temperature per call (serial LAMMPS, 1 rank): ./run_all.sh 288 338 388
set -e
cd "$(dirname "$0")"
for T in "$@"; do
  mkdir -p T$T
  ( cd T$T && OMP_NUM_THREADS=1 lmp -in ../in.spce -var T $T -log log.lammps > /dev/null )
done
