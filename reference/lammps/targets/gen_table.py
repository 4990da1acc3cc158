#!/usr/bin/env python3
"""Generate the tabulated 'soft-shoulder + Gaussian well' (SSGW) pair potential used for the non-LJ target.

u(r) = S(r) * u0(r)
u0(r) = (sigma/r)^12 + (eps_s/2) * (1 - tanh(k (r - r_s))) - eps_w * exp(-(r - r_w)^2 / (2 w^2))
S(r)  = 1                                    r <= r_on
      = (1 + cos(pi (r - r_on)/(r_c - r_on)))/2   r_on < r < r_c
      = 0                                    r >= r_c
sigma=1, eps_s=1, k=10, r_s=1.5, eps_w=0.5, r_w=1.8, w=0.15, r_on=2.2, r_c=2.5  (reduced units)
Writes ssgw.table (LAMMPS pair_style table format, keyword SSGW, N=4001, r in [0.5, 2.5])
and ssgw_potential.csv (r,u,f with f=-du/dr) on the same grid.
"""
import math
P = dict(sigma=1.0, eps_s=1.0, k=10.0, r_s=1.5, eps_w=0.5, r_w=1.8, w=0.15, r_on=2.2, r_c=2.5)

def u_and_f(r, p=P):
    s, es, k, rs, ew, rw, w, ron, rc = (p[x] for x in ("sigma","eps_s","k","r_s","eps_w","r_w","w","r_on","r_c"))
    th = math.tanh(k*(r - rs))
    g = math.exp(-(r - rw)**2/(2*w*w))
    u0 = (s/r)**12 + 0.5*es*(1 - th) - ew*g
    du0 = -12*(s/r)**12/r - 0.5*es*k*(1 - th*th) + ew*g*(r - rw)/(w*w)
    if r <= ron:
        S, dS = 1.0, 0.0
    elif r < rc:
        x = math.pi*(r - ron)/(rc - ron)
        S, dS = 0.5*(1 + math.cos(x)), -0.5*math.sin(x)*math.pi/(rc - ron)
    else:
        S, dS = 0.0, 0.0
    u = S*u0
    du = dS*u0 + S*du0
    return u, -du

if __name__ == "__main__":
    N, rlo, rhi = 4001, 0.5, 2.5
    with open("ssgw.table", "w") as t, open("ssgw_potential.csv", "w") as c:
        t.write("# soft-shoulder + Gaussian-well pair potential, see gen_table.py for the formula\n\n")
        t.write("SSGW\nN %d R %.6f %.6f\n\n" % (N, rlo, rhi))
        c.write("r,u,f\n")
        for i in range(N):
            r = rlo + (rhi - rlo)*i/(N - 1)
            u, f = u_and_f(r)
            t.write("%d %.6f %.15e %.15e\n" % (i + 1, r, u, f))
            c.write("%.6f,%.15e,%.15e\n" % (r, u, f))
    for r in (0.9, 1.0, 1.2, 1.4, 1.5, 1.6, 1.8, 2.0, 2.2, 2.4):
        print(r, *u_and_f(r))
