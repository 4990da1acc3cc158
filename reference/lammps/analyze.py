#!/usr/bin/env python3
"""Post-process one LAMMPS run directory made by in.nvt_lj / in.*_target (pure Python, no numpy).

Reads  log.lammps, blocks.txt (block averages over every step), samples.txt (every 100 steps),
       rdf.lammps (fix ave/time, one block = whole production), rdf_blocks.lammps (10 blocks)
Writes summary.json, rdf.csv (r,g or r,g_A_A,g_A_B,g_B_B), rdf_stderr.csv, temperature_samples.csv,
       temperature_histogram.csv
Errors: standard error of the mean from non-overlapping block averages, SE = std(block means, ddof=1)/sqrt(n_blocks).
Usage: analyze.py RUNDIR [--meta key=value ...]
"""
import json, math, os, re, sys

def mean(x): return sum(x)/len(x)
def se(x):
    m = mean(x); n = len(x)
    return math.sqrt(sum((v-m)**2 for v in x)/(n-1)/n)

def read_table(fn):
    rows = []
    for l in open(fn):
        if l.startswith('#') or not l.strip(): continue
        rows.append([float(v) for v in l.split()])
    return rows

def read_vector_blocks(fn):
    """fix ave/time mode vector file -> list of (timestep, rows)"""
    out = []; L = [l for l in open(fn) if not l.startswith('#')]
    i = 0
    while i < len(L):
        ts, nr = map(int, L[i].split()); i += 1
        rows = [[float(v) for v in L[i+k].split()] for k in range(nr)]
        out.append((ts, rows)); i += nr
    return out

def blocking(x, min_blocks=8):
    """Flyvbjerg-Petersen blocking: SE estimate vs block size (for a cross-check)."""
    res = []; y = list(x); bs = 1
    while len(y) >= min_blocks:
        res.append((bs, len(y), se(y)))
        y = [(y[2*i]+y[2*i+1])/2 for i in range(len(y)//2)]; bs *= 2
    return res

def main():
    d = sys.argv[1]
    meta = dict(a.split('=', 1) for a in sys.argv[2:] if '=' in a)
    log = open(os.path.join(d, 'log.lammps')).read()
    natoms = int(re.search(r'Created (\d+) atoms', log).group(1))
    m = re.search(r'orthogonal box = \(([-\d.e ]+)\) to \(([-\d.e ]+)\)', log)
    lo = [float(v) for v in m.group(1).split()]; hi = [float(v) for v in m.group(2).split()]
    box = [h-l for h, l in zip(hi, lo)]
    vol = box[0]*box[1]*box[2]
    version = re.search(r'LAMMPS \((.*?)\)', log).group(1)
    loops = re.findall(r'Loop time of ([\d.e+-]+) on \d+ procs for (\d+) steps with (\d+) atoms', log)
    # --- thermo block averages (every step) ---
    names = ['pe', 'ke', 'etot', 'temp', 'press', 'T2']
    B = read_table(os.path.join(d, 'blocks.txt'))
    cols = {n: [r[1+i] for r in B] for i, n in enumerate(names)}
    nb = len(B)
    blocklen = int(B[1][0]-B[0][0]) if nb > 1 else int(B[0][0])
    res = {}
    for n in ['pe', 'ke', 'etot', 'temp', 'press']:
        res[n] = {'mean': mean(cols[n]), 'stderr': se(cols[n])}
    varT_blocks = [t2 - t*t for t, t2 in zip(cols['temp'], cols['T2'])]  # within-block variance of T
    Tset = float(meta.get('T', 'nan'))
    dof = 3*natoms - 3
    res['temp_variance'] = {'mean': mean(varT_blocks), 'stderr': se(varT_blocks),
                            'expected_2T2_over_dof': 2*Tset**2/dof, 'dof': dof,
                            'expected_2T2_over_3N': 2*Tset**2/(3*natoms),
                            'note': 'within-block variance of the instantaneous temperature (every step), averaged over blocks; '
                                    'canonical expectation 2T^2/(3N-3) because compute temp uses 3N-3 degrees of freedom'}
    # --- samples every 100 steps ---
    S = read_table(os.path.join(d, 'samples.txt'))
    hdr = [l for l in open(os.path.join(d, 'samples.txt')) if l.startswith('# TimeStep')][0].split()[2:]
    samp = {h: [r[1+i] for r in S] for i, h in enumerate(hdr)}
    steps = [int(r[0]) for r in S]
    cross = {}
    for h in ['v_pe', 'v_press', 'v_temp']:
        bl = blocking(samp[h])
        cross[h[2:]] = {'mean_samples': mean(samp[h]), 'blocking_se_vs_blocksize': [[b*100, n, s] for b, n, s in bl]}
    T = samp['v_temp']
    with open(os.path.join(d, 'temperature_samples.csv'), 'w') as f:
        f.write('step,temp\n')
        for s, t in zip(steps, T): f.write('%d,%.12g\n' % (s, t))
    mT = mean(T); sdT = math.sqrt(sum((t-mT)**2 for t in T)/(len(T)-1))
    sd_exp = math.sqrt(2*Tset**2/dof)
    lo_, hi_, nbins = Tset-5*sd_exp, Tset+5*sd_exp, 40
    w = (hi_-lo_)/nbins; cnt = [0]*nbins
    for t in T:
        k = int((t-lo_)/w)
        if 0 <= k < nbins: cnt[k] += 1
    with open(os.path.join(d, 'temperature_histogram.csv'), 'w') as f:
        f.write('T_lo,T_hi,count,expected_count_gaussian_var_2T2_over_3N-3\n')
        for k in range(nbins):
            a, b = lo_+k*w, lo_+(k+1)*w
            pexp = 0.5*(math.erf((b-Tset)/(sd_exp*math.sqrt(2))) - math.erf((a-Tset)/(sd_exp*math.sqrt(2))))
            f.write('%.8g,%.8g,%d,%.4f\n' % (a, b, cnt[k], pexp*len(T)))
    # --- RDF ---
    full = read_vector_blocks(os.path.join(d, 'rdf.lammps'))
    assert len(full) == 1, 'rdf.lammps should hold exactly one (whole-production) block'
    rows = full[0][1]
    npair = (len(rows[0])-2)//2
    pairs = meta.get('pairs', '').split(',') if npair > 1 else ['']
    gname = ['g' if npair == 1 else 'g_' + p for p in pairs]
    with open(os.path.join(d, 'rdf.csv'), 'w') as f:
        f.write('r,' + ','.join(gname) + '\n')
        for r in rows: f.write('%.6g,' % r[1] + ','.join('%.8g' % r[2+2*j] for j in range(npair)) + '\n')
    blks = read_vector_blocks(os.path.join(d, 'rdf_blocks.lammps'))
    maxdev = 0.0
    with open(os.path.join(d, 'rdf_stderr.csv'), 'w') as f:
        f.write('r,' + ','.join(g + '_stderr' for g in gname) + '\n')
        for i, r in enumerate(rows):
            vals = []
            for j in range(npair):
                x = [b[1][i][2+2*j] for b in blks]
                vals.append(se(x)); maxdev = max(maxdev, abs(mean(x)-r[2+2*j]))
            f.write('%.6g,' % r[1] + ','.join('%.4g' % v for v in vals) + '\n')
    dr = rows[1][1]-rows[0][1]
    # consistency check for single-component LJ: U/N = 2 pi rho int r^2 u g dr (bins inside rc only)
    summ = {'lammps_version': version, 'natoms': natoms, 'box': box, 'volume': vol, 'density': natoms/vol,
            'T_set': Tset, 'production_steps': int(meta.get('nprod', 0)) or None,
            'thermo_block_averages': {'n_blocks': nb, 'block_length_steps': blocklen, 'sampling': 'every step'},
            'averages': res, 'samples_every_100_steps_crosscheck': cross,
            'temperature_samples_sd': sdT,
            'rdf': {'file': 'rdf.csv', 'nbins': len(rows), 'dr': dr, 'r_max': rows[-1][1]+dr/2, 'frames': 'every 100 steps over production',
                    'n_rdf_blocks': len(blks), 'max_abs_diff_mean_of_blocks_vs_full': maxdev},
            'loop_times': [{'seconds': float(a), 'steps': int(b), 'atoms': int(c)} for a, b, c in loops]}
    if 'msd' in ''.join(hdr) or 'c_msdA[4]' in hdr:
        summ['final_msd'] = {h: samp[h][-1] for h in hdr if 'msd' in h}
    if meta.get('lj_rc'):
        rc = float(meta['lj_rc']); shift = meta.get('shift', 'yes') == 'yes'
        uc = 4*(rc**-12 - rc**-6) if shift else 0.0
        I = 0.0; Iv = 0.0
        for r in rows:
            x, g = r[1], r[2]
            if x < rc:
                u = 4*(x**-12 - x**-6) - uc; du = 4*(-12*x**-13 + 6*x**-7)
                I += x*x*u*g*dr; Iv += x**3*du*g*dr
        rho = natoms/vol
        summ['rdf_consistency'] = {'pe_from_rdf': 2*math.pi*rho*I,
                                   'press_from_rdf': rho*res['temp']['mean'] - 2*math.pi/3*rho*rho*Iv,
                                   'note': 'midpoint-rule integrals over the histogram (bin width dr); expect agreement to ~1e-2 because of binning near the core'}
    summ.update({k: v for k, v in meta.items() if k not in ('pairs',)})
    json.dump(summ, open(os.path.join(d, 'summary.json'), 'w'), indent=1)
    print(d, json.dumps({k: ('%.5f +- %.5f' % (v['mean'], v['stderr'])) for k, v in res.items() if 'stderr' in v}))
    print('  varT', res['temp_variance']['mean'], '+-', res['temp_variance']['stderr'], 'expected', 2*Tset**2/dof, '; rdf blocks maxdev', maxdev)
    if 'rdf_consistency' in summ: print('  ', summ['rdf_consistency'])

if __name__ == '__main__':
    main()
