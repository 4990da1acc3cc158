using System.Numerics;
using System.Runtime.Intrinsics;

namespace DiffSim.Potentials;

/// <summary>
/// A pair potential u(r; θ) of the distance r alone, with trainable parameters θ held as fields.
/// Implemented by hand (tabulated potentials) or emitted by the source generator for <see cref="PairPotentialAttribute"/> structs.
/// Units: r in the length unit of the run, u in its energy unit (see <see cref="UnitSystem"/>).
/// </summary>
/// <remarks>
/// Two families of members. The r-based double members are the mathematical definition, used by the
/// adjoint, by gradient checks and by table export. The kernel-facing <c>Evaluate</c> members take the
/// squared distance r² (so a potential of even powers of r needs no square root) and return u together
/// with the scalar force φ = −u'(r)/r, so that the force on i from j is φ·(rᵢ − rⱼ).
/// </remarks>
public interface IPairPotential<TSelf> where TSelf : struct, IPairPotential<TSelf>
{
    /// <summary>Number of trainable parameters θ.</summary>
    static abstract int ParameterCount { get; }

    /// <summary>Names of the parameters, in the order of <see cref="WriteParameters"/>.</summary>
    static abstract ReadOnlySpan<string> ParameterNames { get; }

    /// <summary>Which parameters, in <see cref="ParameterNames"/> order, a config must give positive (empty: no constraint).</summary>
    static virtual ReadOnlySpan<bool> PositiveParameters => default;

    /// <summary>Builds the potential from a parameter vector in <see cref="ParameterNames"/> order.</summary>
    static abstract TSelf FromParameters(ReadOnlySpan<double> parameters);

    /// <summary>Writes the parameters in <see cref="ParameterNames"/> order.</summary>
    void WriteParameters(Span<double> destination);

    /// <summary>u(r).</summary>
    double Energy(double r);

    /// <summary>du/dr.</summary>
    double Derivative(double r);

    /// <summary>d²u/dr².</summary>
    double SecondDerivative(double r);

    /// <summary>∂u/∂θₖ for every parameter k.</summary>
    void ParameterGradient(double r, Span<double> gradient);

    /// <summary>∂²u/∂r∂θₖ for every parameter k (the parameter gradient of the force).</summary>
    void ParameterGradientOfDerivative(double r, Span<double> gradient);

    /// <summary>
    /// The per-pair terms of the reverse pass at squared distance <paramref name="r2"/> = s: φ = −u'(r)/r, dφ/ds and
    /// ∂φ/∂θₖ. The generator emits them in s, sharing their work (no square root for even potentials); this default
    /// derives them from the r-based members, for hand-written potentials.
    /// </summary>
    void EvaluateAdjoint(double r2, out double forceOverR, out double forceOverRDerivative, Span<double> forceOverRGradient)
    {
        var r = Math.Sqrt(r2);
        var du = Derivative(r);
        forceOverR = -du / r;
        forceOverRDerivative = -(SecondDerivative(r) - du / r) / (2 * r2);
        ParameterGradientOfDerivative(r, forceOverRGradient);
        for (var k = 0; k < forceOverRGradient.Length; k++) forceOverRGradient[k] /= -r;
    }

    /// <summary>
    /// Lane-wise <see cref="EvaluateAdjoint(double, out double, out double, Span{double})"/> on 256-bit vectors, for the
    /// vectorised reverse pass. Generated for [PairPotential] structs; this default calls the scalar form per lane.
    /// </summary>
    void EvaluateAdjoint<T>(Vector256<T> r2, out Vector256<T> forceOverR, out Vector256<T> forceOverRDerivative, Span<Vector256<T>> forceOverRGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lanes = Vector256<T>.Count;
        var np = forceOverRGradient.Length;
        Span<T> phi = stackalloc T[lanes];
        Span<T> dphi = stackalloc T[lanes];
        Span<T> grad = stackalloc T[np * lanes];
        Span<double> laneGrad = stackalloc double[np];
        for (var lane = 0; lane < lanes; lane++)
        {
            EvaluateAdjoint(double.CreateTruncating(r2[lane]), out var p, out var d, laneGrad);
            phi[lane] = T.CreateTruncating(p);
            dphi[lane] = T.CreateTruncating(d);
            for (var k = 0; k < np; k++) grad[k * lanes + lane] = T.CreateTruncating(laneGrad[k]);
        }
        forceOverR = Vector256.Create<T>(phi);
        forceOverRDerivative = Vector256.Create<T>(dphi);
        for (var k = 0; k < np; k++) forceOverRGradient[k] = Vector256.Create<T>(grad.Slice(k * lanes, lanes));
    }

    /// <summary>
    /// Number of lane constants of the prepared <see cref="EvaluateAdjoint{T}(Vector256{T}, ref readonly Vector256{T}, out Vector256{T}, out Vector256{T}, Span{Vector256{T}})"/>:
    /// the parameter-only values of the adjoint terms, which the plain form recomputes for every four pairs. The reverse
    /// pass writes them once per pass (<see cref="AdjointLaneConstants"/>) and broadcasts them. Generated for
    /// [PairPotential] structs; the defaults (none, and the prepared form calling the plain one) keep hand-written
    /// potentials working.
    /// </summary>
    static virtual int AdjointLaneConstantCount => 0;

    /// <summary>Writes the <see cref="AdjointLaneConstantCount"/> adjoint lane constants in precision T.</summary>
    void AdjointLaneConstants<T>(Span<T> constants) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    /// <summary><see cref="EvaluateAdjoint{T}(Vector256{T}, out Vector256{T}, out Vector256{T}, Span{Vector256{T}})"/> over prepared adjoint lane constants (<paramref name="constants"/> is the first of them, each broadcast to a vector); the same results bit for bit.</summary>
    void EvaluateAdjoint<T>(Vector256<T> r2, ref readonly Vector256<T> constants, out Vector256<T> forceOverR, out Vector256<T> forceOverRDerivative, Span<Vector256<T>> forceOverRGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        => EvaluateAdjoint(r2, out forceOverR, out forceOverRDerivative, forceOverRGradient);

    /// <summary>u and φ = −u'(r)/r at squared distance <paramref name="r2"/>, in precision T.</summary>
    void Evaluate<T>(T r2, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Lane-wise <see cref="Evaluate{T}(T, out T, out T)"/> on 256-bit vectors.</summary>
    void Evaluate<T>(Vector256<T> r2, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Lane-wise <see cref="Evaluate{T}(T, out T, out T)"/> on 512-bit vectors.</summary>
    void Evaluate<T>(Vector512<T> r2, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Number of lane constants of the prepared Evaluate members: the parameter-only values (converted to T) that
    /// the plain members compute on every call. A kernel writes them once per call (<see cref="LaneConstants"/>),
    /// broadcasts them to its vector width and passes them to every evaluation, so that its loop reads them from
    /// memory instead of recomputing them (RyuJIT does not hoist them out of a loop short of registers). Generated
    /// for [PairPotential] structs; the defaults (none, and the prepared members calling the plain ones) keep
    /// hand-written potentials working, and the kernels call the plain members of a potential without constants
    /// (the default members would box the struct on every call).
    /// </summary>
    static virtual int LaneConstantCount => 0;

    /// <summary>Writes the <see cref="LaneConstantCount"/> lane constants in precision T.</summary>
    void LaneConstants<T>(Span<T> constants) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    /// <summary><see cref="Evaluate{T}(T, out T, out T)"/> over prepared lane constants (<paramref name="constants"/> is the first of them); the same results bit for bit.</summary>
    void Evaluate<T>(T r2, ref readonly T constants, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, out energy, out forceOverR);

    /// <summary><see cref="Evaluate{T}(Vector256{T}, out Vector256{T}, out Vector256{T})"/> over prepared lane constants, each broadcast to a vector.</summary>
    void Evaluate<T>(Vector256<T> r2, ref readonly Vector256<T> constants, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, out energy, out forceOverR);

    /// <summary><see cref="Evaluate{T}(Vector512{T}, out Vector512{T}, out Vector512{T})"/> over prepared lane constants, each broadcast to a vector.</summary>
    void Evaluate<T>(Vector512<T> r2, ref readonly Vector512<T> constants, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, out energy, out forceOverR);
}
