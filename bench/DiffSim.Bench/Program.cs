using BenchmarkDotNet.Running;
using DiffSim.Bench;

// `macro` runs the in.lj comparison with LAMMPS; anything else goes to BenchmarkDotNet's switcher
// (e.g. `--filter *PairKernel* --job short`).
return args.Length > 0 && args[0] == "macro"
    ? Macro.Run(args[1..])
    : RunMicro(args);

static int RunMicro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Macro).Assembly).Run(args);
    return 0;
}
