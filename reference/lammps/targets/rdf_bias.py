#!/usr/bin/env python3
"""How far an RDF fit's ε and σ move when the target differs from the model's own g(r), to first order.

The fit minimises L(θ) = mean_k (g(r_k; θ) − t_k)² over the loss range. With g(θ₀ + Δθ) ≈ g₀ + J Δθ, the minimum of the
expected loss sits at Δθ = −(JᵀJ)⁻¹ Jᵀ (g₀ − t) (Gauss–Newton), so any systematic difference g₀ − t between the model at
the true θ₀ and the target (another system size, another binning, smearing) becomes a parameter bias Δθ, and target
noise becomes parameter noise the same way. J comes from finite differences of LAMMPS runs at ε = 1 + dε, σ = 1 + dσ.

  rdf_bias.py MODEL_RDF TARGET_RDF EPS_RDF DEPS SIG_RDF DSIG [--smear W] [--range LO HI] [--blocks RDF_BLOCKS]

Each *_RDF is LAMMPS fix ave/time output of compute rdf (rdf.lammps). --smear W also applies the fit's Gaussian
smearing (width W) to the model side, as the differentiable RDF does (bins at the ends of the file lose their outer
tails, which adds a little to the estimate); --blocks projects the target's block-to-block scatter the same way and
prints the standard error it gives ε and σ, and the scatter of one block: with the model's own blocks, how well a run
of one block's length can pin ε and σ.
"""
import argparse
import numpy as np


def read_lammps_rdf(path):
    """Every block of a fix ave/time rdf file, as an array (blocks, bins) of g, and the bin centres."""
    rows, blocks = [], []
    with open(path) as f:
        lines = [l for l in f if not l.startswith("#")]
    i = 0
    while i < len(lines):
        _, n = lines[i].split()
        n = int(n)
        block = np.array([[float(x) for x in l.split()] for l in lines[i + 1:i + 1 + n]])
        blocks.append(block[:, 2])
        rows = block[:, 1]
        i += 1 + n
    return np.array(rows), np.array(blocks)


def smear(r, g, width):
    """g on the same bins after convolution with a Gaussian of the given width (bin integrals, linear in g)."""
    dr = r[1] - r[0]
    edges = np.concatenate([r - dr / 2, [r[-1] + dr / 2]])
    from math import erf, sqrt
    cdf = np.vectorize(lambda u: 0.5 * (1 + erf(u / sqrt(2))))
    # A pair density ρ(r) ∝ g(r) r² spread by the kernel, renormalised by the shell volume, as SmearedRdf counts it.
    counts = g * (edges[1:] ** 3 - edges[:-1] ** 3)
    out = np.zeros_like(g)
    for j, c in enumerate(counts):
        out += c * (cdf((edges[1:] - r[j]) / width) - cdf((edges[:-1] - r[j]) / width))
    return out / (edges[1:] ** 3 - edges[:-1] ** 3)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model"); p.add_argument("target")
    p.add_argument("eps_rdf"); p.add_argument("deps", type=float)
    p.add_argument("sig_rdf"); p.add_argument("dsig", type=float)
    p.add_argument("--smear", type=float, default=0.0)
    p.add_argument("--range", type=float, nargs=2, default=(0.8, 3.0))
    p.add_argument("--blocks")
    a = p.parse_args()

    r, g0 = read_lammps_rdf(a.model); g0 = g0[-1]
    _, t = read_lammps_rdf(a.target); t = t[-1]
    _, ge = read_lammps_rdf(a.eps_rdf); ge = ge[-1]
    _, gs = read_lammps_rdf(a.sig_rdf); gs = gs[-1]
    if a.smear > 0:
        g0, ge, gs = (smear(r, g, a.smear) for g in (g0, ge, gs))
    k = (r >= a.range[0]) & (r <= a.range[1])
    J = np.stack([(ge - g0)[k] / a.deps, (gs - g0)[k] / a.dsig], axis=1)
    solve = np.linalg.solve(J.T @ J, J.T)
    d = g0[k] - t[k]
    bias = -solve @ d
    print(f"loss range [{a.range[0]}, {a.range[1]}], {k.sum()} bins, smearing {a.smear}")
    print(f"model − target: mean {d.mean():+.4f}, RMS {np.sqrt((d ** 2).mean()):.4f}; beyond r = 1.5: mean {d[r[k] > 1.5].mean():+.4f}")
    print(f"first-order optimum of the expected loss: Δε = {bias[0]:+.4f}, Δσ = {bias[1]:+.4f}")
    if a.blocks:
        _, b = read_lammps_rdf(a.blocks)
        per_block = np.array([-solve @ (g0[k] - bk[k]) for bk in b])
        spread = per_block.std(axis=0, ddof=1)
        se = spread / np.sqrt(len(b))
        print(f"target noise ({len(b)} blocks): standard error of ε {se[0]:.4f}, of σ {se[1]:.4f}; "
              f"one block alone ± {spread[0]:.4f} in ε, ± {spread[1]:.4f} in σ")


if __name__ == "__main__":
    main()
