#!/usr/bin/env python3
"""Run ../analyze.py on each finished target directory and write its meta.json (state point, potential, thermo averages)."""
import json, os, subprocess, sys
here = os.path.dirname(os.path.abspath(__file__))
LJ = {'pair_style': 'lj/cut 2.5 with pair_modify shift yes', 'formula': 'u(r) = 4 eps [(sig/r)^12 - (sig/r)^6] - u_LJ(rc) for r < rc, 0 beyond',
      'eps': 1.0, 'sigma': 1.0, 'rc': 2.5, 'shifted': True}
KA = {'pair_style': 'lj/cut with per-pair cutoffs 2.5 sigma_ab, pair_modify shift yes',
      'formula': 'u_ab(r) = 4 eps_ab [(sig_ab/r)^12 - (sig_ab/r)^6] - u_ab(rc_ab) for r < rc_ab = 2.5 sig_ab',
      'pairs': {'A_A': {'eps': 1.0, 'sigma': 1.0, 'rc': 2.5}, 'A_B': {'eps': 1.5, 'sigma': 0.8, 'rc': 2.0},
                'B_B': {'eps': 0.5, 'sigma': 0.88, 'rc': 2.2}}, 'masses': {'A': 1.0, 'B': 1.0}, 'shifted': True}
SS = {'pair_style': 'table spline 4001, file ssgw.table keyword SSGW, cutoff 2.5',
      'formula': 'u(r) = S(r) * [ (sig/r)^12 + (eps_s/2)(1 - tanh(k (r - r_s))) - eps_w exp(-(r - r_w)^2/(2 w^2)) ], '
                 'S = 1 for r <= r_on, (1 + cos(pi (r - r_on)/(r_c - r_on)))/2 for r_on < r < r_c, 0 beyond',
      'params': {'sig': 1.0, 'eps_s': 1.0, 'k': 10.0, 'r_s': 1.5, 'eps_w': 0.5, 'r_w': 1.8, 'w': 0.15, 'r_on': 2.2, 'r_c': 2.5},
      'table_file': 'ssgw.table (made by gen_table.py; ssgw_potential.csv holds r,u,f on the same grid)'}
TARGETS = {
 'lj_rho0.8442_T1.0': ('in.lj_target', 0.8442, 1.0, LJ, None, 'LJ recovery target'),
 'lj_rho0.8442_T0.8': ('in.lj_target', 0.8442, 0.8, LJ, None, 'multi-temperature target'),
 'lj_rho0.8442_T1.2': ('in.lj_target', 0.8442, 1.2, LJ, None, 'multi-temperature target'),
 'lj_rho0.7_T1.0':    ('in.lj_target', 0.7, 1.0, LJ, None, 'transfer validation (density)'),
 'lj_rho0.9_T1.0':    ('in.lj_target', 0.9, 1.0, LJ, None, 'transfer validation (density)'),
 'ka80_20_rho1.2_T1.5': ('in.ka_target', 1.2, 1.5, KA, {'A': 800, 'B': 200}, 'Kob-Andersen 80:20, partial RDFs'),
 'ka50_50_rho1.2_T1.5': ('in.ka_target', 1.2, 1.5, KA, {'A': 500, 'B': 500}, 'Kob-Andersen 50:50, partial RDFs'),
 'lj_N256_rho0.8442_T1.0': ('in.lj_target', 0.8442, 1.0, LJ, None, 'optional small system (N=256) for trainer speed tests'),
 'ssgw_rho0.5_T0.7':  ('in.ssgw_target', 0.5, 0.7, SS, None, 'non-LJ (soft-shoulder + Gaussian well) liquid for the NN fit'),
}
for d, (inp, rho, T, pot, comp, purpose) in TARGETS.items():
    p = os.path.join(here, d)
    if not os.path.exists(os.path.join(p, 'rdf.lammps')) or 'Total wall time' not in open(os.path.join(p, 'log.lammps')).read():
        print('skip (not finished)', d); continue
    nprod = int(open(os.path.join(p, 'log.lammps')).read().split('Loop time of')[-1].split('for ')[1].split()[0])
    args = [sys.executable, os.path.join(here, '..', 'analyze.py'), p, 'T=%g' % T, 'nprod=%d' % nprod]
    if comp: args.append('pairs=A_A,A_B,B_B')
    if pot is LJ: args += ['lj_rc=2.5', 'shift=yes']
    subprocess.run(args, check=True)
    s = json.load(open(os.path.join(p, 'summary.json')))
    a = s['averages']
    meta = {'purpose': purpose, 'input': inp, 'lammps_version': s['lammps_version'],
            'N': s['natoms'], 'composition': comp or {'A': s['natoms']}, 'density': s['density'], 'T': T,
            'box': s['box'], 'volume': s['volume'], 'potential': pot,
            'integration': {'ensemble': 'NVT, fix nvt (Nose-Hoover chain, tchain 3)', 'dt': 0.005, 'Tdamp': 0.5,
                            'pre_melt_steps_T3': 5000, 'equilibration_steps': 10000, 'production_steps': nprod},
            'rdf': {'csv': 'rdf.csv', 'stderr_csv': 'rdf_stderr.csv', 'raw_full_average': 'rdf.lammps',
                    'raw_blocks': 'rdf_blocks.lammps (10 blocks of %d steps)' % (nprod // 10), 'nbins': s['rdf']['nbins'], 'dr': s['rdf']['dr'],
                    'r_max': s['rdf']['r_max'], 'r_column': 'bin centres', 'frames': 'every 100 steps over production (%d frames)' % (nprod // 100)},
            'thermo': {k: a[k] for k in ('pe', 'ke', 'etot', 'temp', 'press')},
            'thermo_note': 'per-atom energies; mean and standard error from 20 non-overlapping blocks of %d steps, every-step sampling' % (nprod // 20),
            'final_msd': s.get('final_msd')}
    if 'rdf_consistency' in s: meta['rdf_consistency'] = s['rdf_consistency']
    if pot is SS:
        sys.path.insert(0, here); import math, gen_table
        rows = [list(map(float, l.split(','))) for l in open(os.path.join(p, 'rdf.csv')).readlines()[1:]]
        dr = rows[1][0] - rows[0][0]; rho_ = s['density']; I = Iv = 0.0
        for x, g in rows:
            if g > 0 and x < 2.5:
                u, f = gen_table.u_and_f(x); I += x*x*u*g*dr; Iv += -x**3*f*g*dr
        meta['rdf_consistency'] = {'pe_from_rdf': 2*math.pi*rho_*I, 'press_from_rdf': rho_*a['temp']['mean'] - 2*math.pi/3*rho_**2*Iv,
                                   'note': 'midpoint-rule integrals with the analytic SSGW u and f over the histogram; accurate to ~1e-2 (binning)'}
    json.dump(meta, open(os.path.join(p, 'meta.json'), 'w'), indent=1)
