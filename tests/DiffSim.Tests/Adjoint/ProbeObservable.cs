using DiffSim.Adjoint;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Tests.Adjoint;

/// <summary>
/// A smooth test observable of positions and velocities, averaged over frames:
/// O₀ = Σᵢ sin(2π(xᵢ + 2yᵢ)/L) (periodic, so wrapping positions into the box leaves it unchanged), O₁ = Σᵢ (vxᵢ² + vyᵢ vzᵢ) / N.
/// </summary>
internal sealed class ProbeObservable : IWindowObservable
{
    private readonly double[] _value = new double[2];
    public int Length => 2;
    public int Frames { get; private set; }
    public ReadOnlySpan<double> Value => _value.Select(v => v / Math.Max(Frames, 1)).ToArray();

    public void Reset() { Array.Clear(_value); Frames = 0; }

    /// <summary>The tests' window loss on the probe, (O₀ − 1)² + 3 O₁: nonlinear in one component, so the chain rule through ∂L/∂O is exercised.</summary>
    public static double Loss(IReadOnlyList<IWindowObservable> obs, double[][] d)
    {
        var v = obs[0].Value;
        d[0][0] = 2 * (v[0] - 1.0);
        d[0][1] = 3.0;
        return (v[0] - 1.0) * (v[0] - 1.0) + 3.0 * v[1];
    }

    public void Accumulate(int frame, State s)
    {
        var l = s.Box.Lx;
        for (var i = 0; i < s.Count; i++)
        {
            _value[0] += Math.Sin(2 * Math.PI * (s.X[i] + 2 * s.Y[i]) / l);
            _value[1] += (s.Vx[i] * s.Vx[i] + s.Vy[i] * s.Vz[i]) / s.Count;
        }
        Frames++;
    }

    public void Backward(int frame, State s, ReadOnlySpan<double> dL, PhaseSpaceGradient g)
    {
        var l = s.Box.Lx;
        var w0 = dL[0] / Frames;
        var w1 = dL[1] / Frames / s.Count;
        for (var i = 0; i < s.Count; i++)
        {
            var c = Math.Cos(2 * Math.PI * (s.X[i] + 2 * s.Y[i]) / l);
            g.X[i] += w0 * c * 2 * Math.PI / l;
            g.Y[i] += w0 * c * 4 * Math.PI / l;
            g.Vx[i] += w1 * 2 * s.Vx[i];
            g.Vy[i] += w1 * s.Vz[i];
            g.Vz[i] += w1 * s.Vy[i];
        }
    }
}
