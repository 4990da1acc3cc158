#!/usr/bin/env bash
# Runs the four NVT state points (two at a time, serial LAMMPS each). Output in one directory per run.
cd "$(dirname "$0")"
run() { # rho T shift
  d="rho$1_T$2_shift$3"; mkdir -p "$d"; ( cd "$d" && lmp -in ../in.nvt_lj -var rho $1 -var T $2 -var shift $3 -log log.lammps -screen none )
  echo "done $d"
}
export -f run
printf '%s\n' "0.8442 0.9 yes" "0.5 1.5 yes" "0.8442 0.9 no" "0.5 1.5 no" | xargs -P2 -L1 bash -c 'run $0 $1 $2'
