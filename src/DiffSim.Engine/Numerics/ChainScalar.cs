namespace DiffSim.Numerics;

/// <summary>
/// The arithmetic a small scalar map needs, so the same code runs on plain doubles (<see cref="Real"/>) and on
/// forward-mode dual numbers (<see cref="Dual"/>), which give its exact Jacobian for the adjoint.
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

/// <summary>A forward-mode dual number v + d·ε (ε² = 0): carries one directional derivative exactly.</summary>
internal readonly record struct Dual(double Value, double Derivative) : IChainScalar<Dual>
{
    public static Dual From(double value) => new(value, 0);
    public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, a.Derivative + b.Derivative);
    public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, a.Derivative - b.Derivative);
    public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, a.Derivative * b.Value + a.Value * b.Derivative);
    public static Dual operator /(Dual a, Dual b) => new(a.Value / b.Value, (a.Derivative * b.Value - a.Value * b.Derivative) / (b.Value * b.Value));

    public static Dual Exp(Dual a)
    {
        var e = Math.Exp(a.Value);
        return new(e, e * a.Derivative);
    }
}
