#!/usr/bin/env bash
# Fallback LAMMPS in.lj runner for the macro benchmark, used only where bench/peers/lammps-inlj.sh (branch ref)
# is absent; same arguments and output line. Usage: run-lammps-inlj.sh [steps] [lj/cut|lj/cut/opt] [cells]
set -euo pipefail
steps=${1:-1000}; style=${2:-lj/cut}; cells=${3:-20}
LMP=${LMP:-$(command -v lmp || command -v lmp_serial)}
export OMP_NUM_THREADS=1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cat > "$work/in.lj" <<IN
units lj
atom_style atomic
lattice fcc 0.8442
region box block 0 $cells 0 $cells 0 $cells
create_box 1 box
create_atoms 1 box
mass 1 1.0
velocity all create 1.44 87287 loop geom
pair_style $style 2.5
pair_coeff 1 1 1.0 1.0 2.5
neighbor 0.3 bin
neigh_modify delay 0 every 20 check no
fix 1 all nve
run $steps
IN
( cd "$work" && "$LMP" -in in.lj -log log.lammps -screen none )
grep "^Loop time of" "$work/log.lammps" | tail -1 |
  awk -v style="$style" '{printf "lammps %s atoms=%d steps=%d seconds=%s atom_steps_per_s=%.6g\n", style, $12, $9, $4, $12*$9/$4}'
