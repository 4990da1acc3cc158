using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Neighbours;
using DiffSim.Potentials;
using DiffSim.Systems;

namespace DiffSim.Bench;

/// <summary>
/// Says whether a kernel path runs in hardware or in software: .NET emulates Vector512 with two Vector256 halves
/// where the processor has no AVX-512 (Zen 1 here), so that row measures the code path, not the instruction set.
/// </summary>
public sealed class SimdColumn : IColumn
{
    public string Id => nameof(SimdColumn);
    public string ColumnName => "SIMD";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Params;
    public int PriorityInCategory => 10;
    public bool IsNumeric => false;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "hardware or software (emulated) vectors";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var path = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Path")?.Value;
        return path switch
        {
            KernelPath.Vector512 => Vector512.IsHardwareAccelerated ? "AVX-512" : "software",
            KernelPath.Vector256 => Vector256.IsHardwareAccelerated ? "AVX2" : "software",
            KernelPath.Scalar => "scalar",
            _ => "-",
        };
    }
}

public sealed class KernelConfig : ManualConfig
{
    public KernelConfig() => AddColumn(new SimdColumn());
}

/// <summary>The force evaluation alone (list already built) on in.lj, 32,000 atoms: copy in, kernel, forces out.</summary>
[Config(typeof(KernelConfig))]
[MemoryDiagnoser]
public class PairForceBenchmarks
{
    private State _state = null!;
    private PairForceField<LennardJones> _forces = null!;

    [Params(Precision.Float, Precision.Double)]
    public Precision Precision { get; set; }

    [Params(KernelPath.Scalar, KernelPath.Vector256, KernelPath.Vector512)]
    public KernelPath Path { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = InLj.Crystal(20);
        InLj.Jiggle(_state);
        _forces = InLj.ForceField(Precision, Path);
        _forces.Compute(_state);
    }

    [Benchmark]
    public ForceResult Force() => _forces.Compute(_state);
}

/// <summary>Neighbour-list builds on in.lj, 32,000 atoms: the forward half list and the adjoint's half pair list.</summary>
[MemoryDiagnoser]
public class ListBuildBenchmarks
{
    private State _state = null!;
    private HalfVerletList _half = null!;
    private HalfPairList _adjoint = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = InLj.Crystal(20);
        InLj.Jiggle(_state);
        _half = new HalfVerletList(8, InLj.Cutoff, InLj.Skin);
        _adjoint = new HalfPairList(InLj.Cutoff, InLj.Skin);
    }

    [Benchmark(Baseline = true)]
    public void HalfVerletList() => _half.Build(_state);

    [Benchmark]
    public void HalfPairList() => _adjoint.Build(_state);
}

/// <summary>One velocity-Verlet step of in.lj, 32,000 atoms, list rebuilds included as they fall.</summary>
[Config(typeof(KernelConfig))]
[MemoryDiagnoser]
public class StepBenchmarks
{
    private Simulation _simulation = null!;

    [Params(Precision.Float, Precision.Double)]
    public Precision Precision { get; set; }

    [Params(KernelPath.Scalar, KernelPath.Vector256, KernelPath.Vector512)]
    public KernelPath Path { get; set; }

    [GlobalSetup]
    public void Setup() => _simulation = new Simulation(InLj.Crystal(20), InLj.ForceField(Precision, Path), new VelocityVerlet(InLj.TimeStep));

    [Benchmark]
    public void Step() => _simulation.Step();
}
