using System.Runtime.Intrinsics;

namespace DiffSim.Numerics;

/// <summary>
/// The arithmetic a small scalar map needs, so the same code runs on plain doubles (<see cref="Real"/>) and on
/// forward-mode dual numbers (<see cref="Dual8"/>), which give its exact Jacobian for the adjoint.
/// </summary>
internal interface IChainScalar<T> where T : struct, IChainScalar<T>
{
    static abstract T From(double value);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    static abstract T Exp(T a);
}

/// <summary>A double as an <see cref="IChainScalar{T}"/>.</summary>
internal readonly record struct Real(double Value) : IChainScalar<Real>
{
    public static Real From(double value) => new(value);
    public static Real operator +(Real a, Real b) => new(a.Value + b.Value);
    public static Real operator -(Real a, Real b) => new(a.Value - b.Value);
    public static Real operator *(Real a, Real b) => new(a.Value * b.Value);
    public static Real operator /(Real a, Real b) => new(a.Value / b.Value);
    public static Real Exp(Real a) => new(Math.Exp(a.Value));
}

/// <summary>
/// A forward-mode dual number with eight derivative components, v + Σ d_j ε_j (ε_i ε_j = 0): one evaluation of a map
/// gives eight columns of its Jacobian, each with the bits of a pass with one derivative (the components' operations
/// are independent, and no multiply and add is fused).
/// </summary>
internal readonly struct Dual8(double value, Vector256<double> low, Vector256<double> high) : IChainScalar<Dual8>
{
    public const int Width = 8;

    public double Value { get; } = value;

    /// <summary>Derivative components 0–3.</summary>
    public Vector256<double> Low { get; } = low;

    /// <summary>Derivative components 4–7.</summary>
    public Vector256<double> High { get; } = high;

    /// <summary>The input that is derivative component <paramref name="component"/> (none when outside 0 … 7).</summary>
    public static Dual8 Seed(double value, int component)
    {
        var lanes = Vector256.Create(0.0, 1, 2, 3);
        var (low, high) = (Vector256.Equals(lanes, Vector256.Create((double)component)), Vector256.Equals(lanes + Vector256.Create(4.0), Vector256.Create((double)component)));
        return new(value, low & Vector256<double>.One, high & Vector256<double>.One);
    }

    public double Derivative(int component) => component < 4 ? Low.GetElement(component) : High.GetElement(component - 4);

    public static Dual8 From(double value) => new(value, Vector256<double>.Zero, Vector256<double>.Zero);
    public static Dual8 operator +(Dual8 a, Dual8 b) => new(a.Value + b.Value, a.Low + b.Low, a.High + b.High);
    public static Dual8 operator -(Dual8 a, Dual8 b) => new(a.Value - b.Value, a.Low - b.Low, a.High - b.High);

    public static Dual8 operator *(Dual8 a, Dual8 b)
    {
        var (av, bv) = (Vector256.Create(a.Value), Vector256.Create(b.Value));
        return new(a.Value * b.Value, a.Low * bv + av * b.Low, a.High * bv + av * b.High);
    }

    public static Dual8 operator /(Dual8 a, Dual8 b)
    {
        var (av, bv, bb) = (Vector256.Create(a.Value), Vector256.Create(b.Value), Vector256.Create(b.Value * b.Value));
        return new(a.Value / b.Value, (a.Low * bv - av * b.Low) / bb, (a.High * bv - av * b.High) / bb);
    }

    public static Dual8 Exp(Dual8 a)
    {
        var e = Math.Exp(a.Value);
        var ev = Vector256.Create(e);
        return new(e, ev * a.Low, ev * a.High);
    }
}
