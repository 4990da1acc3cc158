using DiffSim.Adjoint;
using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Observables;
using DiffSim.Systems;
using DiffSim.Tests.Adjoint;
using DiffSim.Tests.Engine;

namespace DiffSim.Tests.Training;

/// <summary>
/// <c>[train] precision = "float"</c>: the forward forces and the reverse pair passes in single precision, the adjoint
/// accumulated in double. The gradient must stay within float rounding (grown over the window: 5·10⁻⁶ here) of the
/// exact double gradient; a wrong float path (forces or products off by more than rounding) would not.
/// </summary>
public class FloatForwardGradientTests
{
    private const int Steps = 40;
    private const int SampleEvery = 5;

    private static WindowResult Run(State start, Precision precision)
    {
        var table = PairTable<SmoothSoftSphere>.Single(new SmoothSoftSphere(1.05, 0.98), SmoothSoftSphere.Cutoff, shift: false);
        var field = new DifferentiablePairField<SmoothSoftSphere>(new PairForceField<SmoothSoftSphere>(table, 0.3, precision), ["A"]);
        return new WindowGradient(field, new NoseHooverChain(0.005, 1.0, 0.05, 3)).Run(start.Clone(), Steps, SampleEvery, [new ProbeObservable()], ProbeObservable.Loss);
    }

    [Fact]
    public void FloatGradientIsTheDoubleGradientToFloatRounding()
    {
        var start = TestSystems.LjLiquid(3, seed: 7, meltSteps: 300);
        var exact = Run(start, Precision.Double);
        var single = Run(start, Precision.Float);
        Assert.NotEqual(exact.Loss, single.Loss);
        Assert.Equal(exact.Loss, single.Loss, 1e-5 * Math.Abs(exact.Loss));
        for (var p = 0; p < 2; p++)
        {
            var relative = Math.Abs(single.ParameterGradient[p] - exact.ParameterGradient[p]) / Math.Abs(exact.ParameterGradient[p]);
            Assert.True(relative < 3e-5, $"θ{p}: float forward {single.ParameterGradient[p]:R} against double {exact.ParameterGradient[p]:R} (relative {relative:E2})");
        }
    }
}
