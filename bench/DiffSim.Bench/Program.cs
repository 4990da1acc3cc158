using BenchmarkDotNet.Running;
using DiffSim.Bench;

// `macro` runs the in.lj comparison with LAMMPS; `profile` splits a step into list build and force; `training` times a training
// step and its parts; `search` times the pair search's two paths; anything else goes to BenchmarkDotNet's switcher
// (e.g. `--filter *PairKernel* --job short`).
try
{
    return args.FirstOrDefault() switch
    {
        "macro" => Macro.Run(args[1..]),
        "profile" => Profile.Run(args[1..]),
        "training" => TrainingStep.Run(args[1..]),
        "search" => SearchCost.Run(args[1..]),
        _ => RunMicro(args),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int RunMicro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Macro).Assembly).Run(args);
    return 0;
}
