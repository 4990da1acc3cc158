#!/usr/bin/env python3
"""Post-process one SPC/E run directory (e.g. T288/): writes rdf_OO.csv, rdf_OO_stderr.csv and meta.json.
Usage: python3 analyze_water.py T288 288   (pure Python, no numpy)"""
import json, math, re, sys, os

NMOL = 216
M_WATER = 15.9994 + 2 * 1.008            # g/mol
NKTV2P = 68568.415                      # LAMMPS real units: kcal/mol/A^3 -> atm


def read_vector_blocks(path):
    """Raw 'fix ave/time ... mode vector' file -> list of (timestep, rows[[idx, r, g, coord], ...])."""
    blocks, cur, n = [], None, 0
    for line in open(path):
        if line.startswith('#') or not line.strip():
            continue
        f = line.split()
        if cur is None or len(cur[1]) == n:
            cur = (int(f[0]), []); n = int(f[1]); blocks.append(cur)
            continue
        cur[1].append([float(x) for x in f])
    return blocks


def mean_se(xs):
    n = len(xs); m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    return m, math.sqrt(var / n)


def first_peak(r, g):
    """First maximum of g (first local max with g > 1), refined by a parabola through 3 bins."""
    for i in range(1, len(g) - 1):
        if g[i] > 1.0 and g[i] >= g[i - 1] and g[i] > g[i + 1]:
            # make sure it is the max of the peak (+-5 bins) against noise
            j = max(range(max(0, i - 5), min(len(g), i + 6)), key=lambda k: g[k])
            y0, y1, y2 = g[j - 1], g[j], g[j + 1]; dr = r[j + 1] - r[j]
            den = y0 - 2 * y1 + y2
            d = 0.5 * (y0 - y2) / den if den != 0 else 0.0
            return j, r[j] + d * dr, y1 - 0.25 * (y0 - y2) * d, r[j], y1
    return None


def first_min_after(r, g, j):
    k = j
    while k + 1 < len(g) and not (g[k] < g[k - 1] and g[k] <= g[k + 1] and g[k] < 1.0):
        k += 1
    # smallest value within +-5 bins
    k = min(range(max(j, k - 5), min(len(g), k + 6)), key=lambda m: g[m])
    return k


def main(d, T):
    L = None
    log = open(os.path.join(d, 'log.lammps')).read()
    m = re.search(r'orthogonal box = \([\d. ]+\) to \(([\d.eE+-]+) ', log)
    L = float(m.group(1))
    rho = NMOL / L ** 3
    loop = re.findall(r'Loop time of ([\d.]+) on 1 procs for (\d+) steps', log)

    rdf = read_vector_blocks(os.path.join(d, 'rdf_OO.lammps'))
    assert len(rdf) == 1, 'expected one production-average block'
    rows = rdf[0][1]
    r = [x[1] for x in rows]; g = [x[2] for x in rows]
    blk = read_vector_blocks(os.path.join(d, 'rdf_OO_blocks.lammps'))
    gb = [[x[2] for x in b[1]] for b in blk]
    nb = len(gb)
    se = [mean_se([gb[k][i] for k in range(nb)])[1] for i in range(len(r))]
    with open(os.path.join(d, 'rdf_OO.csv'), 'w') as f:
        f.write('r,g\n')
        for ri, gi in zip(r, g):
            f.write(f'{ri:.4f},{gi:.6f}\n')
    with open(os.path.join(d, 'rdf_OO_stderr.csv'), 'w') as f:
        f.write('r,g,se\n')
        for ri, gi, si in zip(r, g, se):
            f.write(f'{ri:.4f},{gi:.6f},{si:.6f}\n')

    j, rpk, gpk, rbin, gbin = first_peak(r, g)
    pk_blocks = [first_peak(r, x) for x in gb]
    rpk_se = mean_se([p[1] for p in pk_blocks])[1]
    gpk_se = mean_se([p[2] for p in pk_blocks])[1]
    kmin = first_min_after(r, g, j)
    dr = r[1] - r[0]
    # coordination number to the first minimum: 4 pi rho sum r^2 g dr (midpoint rule)
    ncoord = sum(4 * math.pi * rho * r[i] ** 2 * g[i] * dr for i in range(kmin + 1)) - \
        0.5 * 4 * math.pi * rho * r[kmin] ** 2 * g[kmin] * dr
    # second peak
    k2 = max(range(kmin, len(g)), key=lambda i: g[i] if r[i] < 5.5 else -1)

    # thermo blocks (20 blocks, sampled every 10 steps)
    tb = [list(map(float, l.split())) for l in open(os.path.join(d, 'blocks.txt')) if not l.startswith('#')]
    temp = mean_se([x[1] for x in tb]); pe = mean_se([x[2] for x in tb]); press = mean_se([x[3] for x in tb])
    samp = [list(map(float, l.split())) for l in open(os.path.join(d, 'samples.txt')) if not l.startswith('#')]
    msd_final = samp[-1][4]

    # LJ O-O tail corrections (not applied in the run: pair_modify tail no)
    eps, sig, rc = 0.1553, 3.166, 9.0
    sr3, sr9 = (sig / rc) ** 3, (sig / rc) ** 9
    etail = 8.0 / 3.0 * math.pi * rho * eps * sig ** 3 * (sr9 / 3.0 - sr3)            # kcal/mol per molecule
    ptail = 16.0 / 3.0 * math.pi * rho ** 2 * eps * sig ** 3 * (2.0 * sr9 / 3.0 - sr3) * NKTV2P  # atm

    nprod = rdf[0][0]
    meta = {
        'system': 'SPC/E water, all-atom, rigid (SHAKE)',
        'T_target_K': T,
        'n_molecules': NMOL, 'n_atoms': 3 * NMOL,
        'box_A': [L, L, L],
        'number_density_per_A3': rho,
        'mass_density_g_cm3': rho * M_WATER / 0.602214076,
        'model': {'r_OH_A': 1.0, 'angle_HOH_deg': 109.47, 'q_O': -0.8476, 'q_H': 0.4238,
                  'sigma_OO_A': 3.166, 'epsilon_OO_kcal_mol': 0.1553, 'LJ_on_H': False,
                  'mass_O': 15.9994, 'mass_H': 1.008},
        'pair_style': 'lj/cut/coul/long 9.0 (LJ and real-space Coulomb cut at 9.0 A, LJ not shifted, no tail correction)',
        'electrostatics': 'kspace_style pppm 1.0e-5 (relative force accuracy), 18x18x18 grid, order 5',
        'constraints': 'fix shake 1.0e-5 200 0 b 1 a 1 (O-H bonds and H-O-H angle)',
        'thermostat': 'fix nvt temp T T 100.0 (Nose-Hoover chain, tchain 3, Tdamp 100 fs)',
        'ensemble': 'NVT, constant volume',
        'dt_fs': 2.0,
        'protocol_steps': {'minimize': 'flexible bonds, <= 500 iterations', 'premelt_500K': 5000,
                           'equilibration_at_T': 15000, 'production': nprod},
        'production_ps': nprod * 2.0 / 1000.0,
        'rdf': {'pair': 'O-O (type 1 - type 1)', 'compute': 'compute rdf 360 1 1 cutoff 9.0',
                'bin_width_A': dr, 'r_max_A': 9.0, 'r_is': 'bin centre',
                'frames': 'every 100 steps (0.2 ps), %d frames' % (nprod // 100),
                'raw_file': 'rdf_OO.lammps (one block = average over all production frames)',
                'blocks_file': 'rdf_OO_blocks.lammps (%d consecutive blocks)' % nb,
                'csv': 'rdf_OO.csv (r,g); rdf_OO_stderr.csv (r,g,se over %d blocks)' % nb,
                'normalisation': 'LAMMPS: g -> 1 at large r; N_O = %d, V = L^3' % NMOL},
        'first_peak': {'r_A': round(rpk, 4), 'r_A_se': round(rpk_se, 4), 'g': round(gpk, 4), 'g_se': round(gpk_se, 4),
                       'bin_r_A': rbin, 'bin_g': gbin, 'method': 'parabola through the 3 bins at the maximum; SE over the RDF blocks'},
        'first_min': {'r_A': r[kmin], 'g': g[kmin]},
        'second_peak': {'r_A': r[k2], 'g': g[k2]},
        'coordination_number_to_first_min': round(ncoord, 3),
        'thermo_averages': {
            'n_blocks': len(tb), 'sampling': 'every 10 production steps', 'se': 'std(block means, ddof=1)/sqrt(n_blocks)',
            'temp_K': {'mean': temp[0], 'se': temp[1]},
            'pe_kcal_mol_total': {'mean': pe[0], 'se': pe[1]},
            'pe_kcal_mol_per_molecule': {'mean': pe[0] / NMOL, 'se': pe[1] / NMOL},
            'press_atm': {'mean': press[0], 'se': press[1]},
            'lj_tail_correction_not_included': {'pe_kcal_mol_per_molecule': etail, 'press_atm': ptail},
        },
        'msd_O_final_A2': msd_final,
        'loop_times_s': {'minimize': float(loop[0][0]), 'premelt': float(loop[1][0]),
                         'equilibration': float(loop[2][0]), 'production': float(loop[3][0])} if len(loop) >= 4 else loop,
        'lammps_version': re.search(r'LAMMPS \((.*?)\)', log).group(1),
        'coarse_grained_mapping': {'bead': 'one bead per molecule, at the oxygen position', 'bead_mass_g_mol': 18.015,
                                   'number_density_per_A3': rho},
    }
    json.dump(meta, open(os.path.join(d, 'meta.json'), 'w'), indent=1)
    print(d, 'peak', round(rpk, 3), '+-', round(rpk_se, 3), 'g', round(gpk, 3), '+-', round(gpk_se, 3),
          'min', r[kmin], round(g[kmin], 3), 'n', round(ncoord, 2), 'T', round(temp[0], 2), '+-', round(temp[1], 2),
          'pe/mol', round(pe[0] / NMOL, 4), '+-', round(pe[1] / NMOL, 4), 'P', round(press[0], 1), '+-', round(press[1], 1),
          'msd', round(msd_final, 1))


if __name__ == '__main__':
    main(sys.argv[1], float(sys.argv[2]))
