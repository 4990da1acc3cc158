#!/usr/bin/env bash
# Timing peer: LAMMPS bench/in.lj (LJ melt, fcc rho=0.8442, lj/cut 2.5, NVE, dt=0.005,
# neighbor 0.3 bin, neigh_modify delay 0 every 20 check no), run serially on 1 core.
#
# Usage: bench/peers/lammps-inlj.sh [steps] [pair_style] [cells]
#   steps       number of MD steps (default 1000)
#   pair_style  lj/cut | lj/cut/opt   (default lj/cut)
#   cells       fcc unit cells per box side (default 20 -> 4*20^3 = 32000 atoms)
#               e.g. 10 -> 4000, 16 -> 16384, 20 -> 32000, 25 -> 62500, 32 -> 131072, 40 -> 256000
# Env: LMP (LAMMPS executable, default: lmp, else lmp_serial), KEEP_LOG=1 keeps the work dir.
#
# Prints exactly one line on stdout:
#   lammps <style> atoms=<N> steps=<S> seconds=<loop time> atom_steps_per_s=<N*S/loop time> cpu_percent=<CPU use in the loop>
set -euo pipefail
steps=${1:-1000}
style=${2:-lj/cut}
cells=${3:-20}
case "$style" in lj/cut|lj/cut/opt) ;; *) echo "unsupported pair_style: $style" >&2; exit 2;; esac
LMP=${LMP:-$(command -v lmp || command -v lmp_serial || true)}
[ -n "$LMP" ] || { echo "LAMMPS executable not found (apt-get install -y lammps)" >&2; exit 3; }
export OMP_NUM_THREADS=1
work=$(mktemp -d)
trap '[ "${KEEP_LOG:-0}" = 1 ] && echo "log kept in $work" >&2 || rm -rf "$work"' EXIT
cat > "$work/in.lj" <<IN
units		lj
atom_style	atomic
lattice		fcc 0.8442
region		box block 0 $cells 0 $cells 0 $cells
create_box	1 box
create_atoms	1 box
mass		1 1.0
velocity	all create 1.44 87287 loop geom
pair_style	$style 2.5
pair_coeff	1 1 1.0 1.0 2.5
neighbor	0.3 bin
neigh_modify	delay 0 every 20 check no
fix		1 all nve
thermo		100
run		$steps
IN
( cd "$work" && "$LMP" -in in.lj -log log.lammps -screen none ) || { echo "LAMMPS failed" >&2; exit 4; }
line=$(grep "^Loop time of" "$work/log.lammps" | tail -1)
# "98.7% CPU use with 1 MPI tasks x 1 OpenMP threads": the loop's processor time is its wall time times this.
cpu=$(grep -o "^[0-9.]*% CPU use" "$work/log.lammps" | tail -1 | cut -d% -f1)
# "Loop time of 2.55396 on 1 procs for 100 steps with 32000 atoms"
awk -v style="$style" -v cpu="${cpu:-100}" '{t=$4; s=$9; n=$12; printf "lammps %s atoms=%d steps=%d seconds=%s atom_steps_per_s=%.6g cpu_percent=%s\n", style, n, s, t, n*s/t, cpu}' <<<"$line"
