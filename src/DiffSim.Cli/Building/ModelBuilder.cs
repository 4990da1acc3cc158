using DiffSim.Cli.Config;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.IO;
using DiffSim.Potentials;
using DiffSim.Setup;
using DiffSim.Systems;

namespace DiffSim.Cli.Building;

/// <summary>The engine objects of a run, built from a config.</summary>
public sealed record BuiltModel(State State, IForceField Forces, IIntegrator Integrator, ForceFieldOptions Options)
{
    /// <summary>The SIMD path the kernels run on (Auto resolved).</summary>
    public KernelPath KernelPath => KernelPaths.Resolve(Options.Path);
}

/// <summary>
/// Config records → engine objects: the <see cref="State"/> (structure, composition, velocities), the
/// <see cref="IForceField"/> through <see cref="PotentialCatalog"/> (or a tabulated potential for kind = "table")
/// and the <see cref="IIntegrator"/>. No physics here; engine argument errors are re-raised as
/// <see cref="ConfigException"/>s naming the key they come from.
/// </summary>
public static class ModelBuilder
{
    public static BuiltModel Build(ModelConfig model, ForceFieldOptions options, ulong velocitySeed)
    {
        var state = BuildState(model, velocitySeed);
        var tables = ReadTables(model.Potential);
        var cutoff = model.Potential.MaxCutoff(p => tables[p].R[^1]);
        try { state.Box.EnsureFits(cutoff); }
        catch (ArgumentException e) { throw new ConfigException("[potential].cutoff", $"[potential].cutoff: {e.Message}"); }
        var forces = BuildForceField(model, state, options, tables);
        var integrator = BuildIntegrator(model);
        return new BuiltModel(state, forces, integrator, options);
    }

    /// <summary>Positions, types and Maxwell–Boltzmann velocities at the initial temperature (<see cref="InitialState"/>).</summary>
    public static State BuildState(ModelConfig model, ulong velocitySeed)
    {
        var sys = model.System;
        var types = sys.Types.Select(t => new ParticleType(t.Name, t.Mass)).ToArray();
        var fractions = sys.Types.Select(t => t.Fraction).ToArray();
        var temperature = model.InitialTemperature();
        if (sys.Lattice != StartStructure.Random)
        {
            var c = sys.Cells!;
            var kind = sys.Lattice == StartStructure.Sc ? LatticeKind.Sc : LatticeKind.Fcc;
            return InitialState.OnLattice(kind, c[0], c[1], c[2], sys.Density, types, fractions, model.Units, temperature, sys.Seed, velocitySeed);
        }
        int count;
        Box box;
        if (sys.Count is { } n)
        {
            count = n;
            box = Box.Cubic(Math.Cbrt(n / sys.Density));
        }
        else
        {
            var c = sys.Cells!;
            var a = Lattice.CellEdge(LatticeKind.Fcc, sys.Density);
            count = Lattice.SitesPerCell(LatticeKind.Fcc) * c[0] * c[1] * c[2];
            box = new Box(c[0] * a, c[1] * a, c[2] * a);
        }
        // Default exclusion: 0.8 of the mean spacing ρ^(-1/3), a packing fraction of about 0.27, well below jamming of random sequential placement (≈ 0.38).
        var minDistance = sys.MinDistance ?? 0.8 / Math.Cbrt(sys.Density);
        try { return InitialState.Random(count, box, minDistance, types, fractions, model.Units, temperature, sys.Seed, velocitySeed); }
        catch (InvalidOperationException e) { throw new ConfigException("[system].min_distance", $"[system].min_distance: {e.Message}"); }
    }

    public static IForceField BuildForceField(ModelConfig model, State state, ForceFieldOptions options)
        => BuildForceField(model, state, options, ReadTables(model.Potential));

    public static IIntegrator BuildIntegrator(ModelConfig model)
    {
        var i = model.Integrator;
        return i.Kind switch
        {
            IntegratorKind.NoseHoover => new NoseHooverChain(i.TimeStep, i.Temperature!.Value, i.DampingTime, i.Chain),
            IntegratorKind.Langevin => new Langevin(i.TimeStep, i.Temperature!.Value, i.DampingTime, i.Seed ?? model.System.Seed),
            _ => new VelocityVerlet(i.TimeStep),
        };
    }

    private static IForceField BuildForceField(ModelConfig model, State state, ForceFieldOptions options, IReadOnlyDictionary<PairConfig, (double[] R, double[] U)> tables)
    {
        var pot = model.Potential;
        var names = state.Types.Select(t => t.Name).ToArray();
        if (pot.Neural is not null)
            throw new ConfigException("[potential].kind", $"[potential].kind: \"{pot.Kind}\" is a model that diffsim fit trains; to simulate a fitted one, use kind = \"table\" with the potential.table it wrote");
        if (!pot.IsTable)
        {
            var specs = pot.Pairs.Select(p => new PairSpec(p.TypeA, p.TypeB, p.Parameters, p.Cutoff ?? pot.Cutoff!.Value)).ToList();
            try { return PotentialCatalog.Find(pot.Kind).Create(names.Length, names, specs, options); }
            catch (ArgumentException e) { throw new ConfigException("[potential]", $"[potential]: {e.Message}"); }
        }

        var table = new PairTable<TabulatedPotential>(names.Length);
        foreach (var p in pot.Pairs)
        {
            var (r, u) = tables[p];
            var cutoff = p.Cutoff ?? pot.Cutoff ?? r[^1];
            // The spline would be extrapolated between the table's end and the cutoff: energies from nowhere.
            if (cutoff > r[^1] * (1 + 1e-12))
                throw new ConfigException($"{p.Display} file", $"{p.Display} file: the table ends at r = {r[^1]}, short of the cutoff {cutoff}; extend the table to the cutoff or lower the cutoff");
            try { table.Set(p.TypeA, p.TypeB, new TabulatedPotential(r, u), cutoff, options.Shift); }
            catch (ArgumentException e) { throw new ConfigException($"{p.Display} file", $"{p.Display} file: {e.Message}"); }
        }
        return new PairForceField<TabulatedPotential>(table, options.Skin, options.Precision, options.Path, options.Threads);
    }

    private static Dictionary<PairConfig, (double[] R, double[] U)> ReadTables(PotentialConfig pot)
    {
        var tables = new Dictionary<PairConfig, (double[] R, double[] U)>(ReferenceEqualityComparer.Instance);
        if (!pot.IsTable) return tables;
        foreach (var p in pot.Pairs)
        {
            try { tables[p] = LammpsTable.Read(p.File!, p.Keyword); }
            catch (Exception e) when (e is FormatException or IOException)
            {
                throw new ConfigException($"{p.Display} file", $"{p.Display} file: {e.Message}");
            }
        }
        return tables;
    }
}
