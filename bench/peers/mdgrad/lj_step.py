#!/usr/bin/env python3
"""Seconds per training step of torchmd/mdgrad on the paper's Lennard-Jones system, for comparison with
`dotnet run -c Release --project bench/DiffSim.Bench -- training`.

The set-up follows mdgrad's scripts/run_lj.py and fit_rdf_pair.fit_lj (the paper's LJ experiment): 256 atoms on an fcc
lattice at rho = 0.3, T = 1.2, Nose-Hoover chain (5 chains, Q = 50) integrated with their adjoint ODE solver, neighbour
list rebuilt every step, pair cutoff 2.5, one window of 60 steps per training step, RDF from every 5th frame (12
frames, 100 bins on [0.75, 3.3]), MSE against the target RDF, backward, Adam. Two potentials:
  paper: their pairMLP network (3 hidden layers of 128, 25 Gaussians) on an LJFamily(6, 3) prior, as run_lj.py;
  lj:    LJFamily(12, 6) with trainable epsilon = 0.7 and sigma = 1.1, the two parameters DiffSim's benchmark trains.
The VACF term is left out (the paper's LJ command sets vacf_weight 0). dt = 0.005 as in DiffSim (the step's cost does
not depend on it: the list is rebuilt every step either way).

mdgrad is not vendored: pass the folder of a checkout with --mdgrad. It needs torch, numpy, scipy and ase (Debian:
python3-torch python3-scipy python3-ase); xitorch, imported at the top of torchmd/potentials.py but only used by a
tabulated potential this script never builds, is replaced by an empty stand-in module.
"""
import argparse
import statistics
import sys
import time
import types


def load_mdgrad(root):
    sys.path.insert(0, root)
    if "xitorch" not in sys.modules:
        stub = types.ModuleType("xitorch")
        stub.interpolate = types.ModuleType("xitorch.interpolate")
        stub.interpolate.Interp1D = None
        sys.modules["xitorch"] = stub
        sys.modules["xitorch.interpolate"] = stub.interpolate


def build(args):
    import numpy as np
    import torch
    from ase.lattice.cubic import FaceCenteredCubic
    from torchmd.system import System
    from torchmd.interface import PairPotentials, Stack
    from torchmd.potentials import LJFamily, pairMLP
    from torchmd.md import NoseHooverChain, Simulations
    from torchmd.observable import rdf

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    lattice = (4 / args.rho) ** (1 / 3)
    atoms = FaceCenteredCubic(symbol="H", size=(4, 4, 4), latticeconstant=lattice, pbc=True)
    system = System(atoms, device="cpu")
    system.set_temperature(args.temperature)

    if args.model == "paper":
        net = pairMLP(n_gauss=int(2.5 // 0.10), r_start=0.0, r_end=2.5, n_width=128, n_layers=3, nonlinear="ELU")
        prior = LJFamily(epsilon=2.0, sigma=0.9, rep_pow=6, attr_pow=3)
        model = Stack({"pairnn": PairPotentials(system, net, cutoff=2.5, nbr_list_device="cpu"),
                       "pair": PairPotentials(system, prior, cutoff=2.5, nbr_list_device="cpu")})
        trained = list(net.parameters())
        lr = 0.002
    else:
        lj = LJFamily(epsilon=0.7, sigma=1.1, rep_pow=12, attr_pow=6)
        model = PairPotentials(system, lj, cutoff=2.5, nbr_list_device="cpu")
        trained = list(lj.parameters())
        lr = 0.01

    integrator = NoseHooverChain(model, system, Q=50.0, T=args.temperature, num_chains=5, adjoint=True,
                                 topology_update_freq=1)
    sim = Simulations(system, integrator)
    observable = rdf(system, nbins=100, r_range=(0.75, 3.3))
    target = torch.ones(100)
    if args.target:
        data = np.loadtxt(args.target, delimiter=",")
        r, g = (data[0], data[1]) if data.shape[0] == 2 else (data[:, 0], data[:, 1])
        target = torch.tensor(np.interp(observable.r_axis, r, g), dtype=torch.float32)
    optimizer = torch.optim.Adam(trained, lr=lr)
    return sim, observable, target, optimizer


def training_step(sim, observable, target, optimizer, window, dt):
    _, q_t, _ = sim.simulate(steps=window, frequency=window, dt=dt)
    frames = q_t[::5]
    g = sum(observable(frames[[i]])[2] for i in range(frames.shape[0])) / frames.shape[0]
    loss = (g - target).pow(2).mean()
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mdgrad", required=True, help="folder of a torchmd/mdgrad checkout")
    p.add_argument("--model", choices=["paper", "lj"], default="paper")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=5, help="timed training steps")
    p.add_argument("--warmup", type=int, default=2, help="untimed training steps first")
    p.add_argument("--window", type=int, default=60)
    p.add_argument("--dt", type=float, default=0.005)
    p.add_argument("--rho", type=float, default=0.3)
    p.add_argument("--temperature", type=float, default=1.2)
    p.add_argument("--target", help="r,g CSV (e.g. mdgrad's data/LJ_data/rdf_rho0.3_T1.2_dt0.01.csv); g = 1 if absent")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    load_mdgrad(args.mdgrad)
    import torch
    torch.set_num_threads(args.threads)
    sim, observable, target, optimizer = build(args)

    for _ in range(args.warmup):
        training_step(sim, observable, target, optimizer, args.window, args.dt)
    wall, cpu = [], []
    for _ in range(args.steps):
        w0, c0 = time.perf_counter(), time.process_time()
        loss = training_step(sim, observable, target, optimizer, args.window, args.dt)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    print(f"mdgrad {args.model}: torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"256 atoms, window {args.window}, last loss {loss:.4g}")
    print(f"  wall s/step: median {statistics.median(wall):.3f}  min {min(wall):.3f}  all "
          + " ".join(f"{w:.3f}" for w in wall))
    print(f"  cpu  s/step: median {statistics.median(cpu):.3f}  min {min(cpu):.3f}")


if __name__ == "__main__":
    main()
