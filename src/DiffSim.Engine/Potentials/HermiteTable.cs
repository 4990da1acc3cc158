using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffSim.Potentials;

/// <summary>
/// A pair potential tabulated on a uniform grid r_k = r₀ + kΔ (k = 0..n−1) by its values y_k = u(r_k) and slopes
/// m_k = u'(r_k), interpolated by the cubic Hermite polynomial on each interval; the force is the exact derivative of
/// that piecewise cubic, so energy is conserved. The last knot is the cutoff: the potential is zero beyond it (and,
/// in the kernel, at it). Below r₀ the first interval's cubic is continued, which is smooth and consistent with the
/// force and with the knot gradients, but not guaranteed repulsive: place r₀ inside the core where pairs never go.
/// </summary>
/// <remarks>
/// On [r_k, r_{k+1}) with s = (r − r_k)/Δ the cubic is u = c₀ + s(c₁ + s(c₂ + s c₃)) with c₀ = y_k, c₁ = Δm_k,
/// c₂ = 3(y_{k+1} − y_k) − Δ(2m_k + m_{k+1}), c₃ = 2(y_k − y_{k+1}) + Δ(m_k + m_{k+1}): the standard Hermite basis
/// h₀₀ = 2s³ − 3s² + 1, h₁₀ = s³ − 2s² + s, h₀₁ = −2s³ + 3s², h₁₁ = s³ − s² in power form. Interpolating a smooth u,
/// the error is O(Δ⁴) in u and O(Δ³) in u'. The coefficients are stored as four blocks (c₀ | c₁ | c₂ | c₃) of n
/// entries each, in double and in float, pinned, so a vector of lanes gathers each coefficient with one instruction.
/// Block entry n−1 is an all-zero interval: clamping the index to n−1 beyond the last knot gives u = 0 and no force,
/// with no mask. The tables' knots may be rewritten in place (<see cref="SetKnots"/>) by the owning field, so a
/// training step does not allocate; copies of the struct share the storage.
/// </remarks>
public readonly struct HermiteTable : IPairPotential<HermiteTable>
{
    private readonly double[] _values;
    private readonly double[] _slopes;
    private readonly double[] _coefficients;
    private readonly float[] _coefficientsSingle;
    // u' = d₁ + s(d₂ + s d₃) with (d₁, d₂, d₃) = (c₁, 2c₂, 3c₃)/Δ, three blocks of n like the coefficients', for DerivativeJet.
    private readonly double[] _slopeCoefficients;
    private readonly float[] _slopeCoefficientsSingle;

    /// <summary>A table on r_k = r₀ + k·spacing through the given values and slopes (copied); the last knot, r₀ + (n−1)·spacing, is the cutoff.</summary>
    public HermiteTable(double r0, double spacing, ReadOnlySpan<double> values, ReadOnlySpan<double> slopes)
        : this(r0, spacing, values, slopes, null)
    {
    }

    /// <summary>
    /// A table on r_k = r₀ + k·spacing through the given values and slopes (copied); the last knot is the cutoff. Give
    /// the cutoff as the grid was laid out (<see cref="Grid"/>, <see cref="KnotAt"/>), so that it is the user's cutoff
    /// exactly and not r₀ + (n−1)·spacing with its rounding (2.5000000000000013 for 2.5); it must agree with that sum.
    /// </summary>
    public HermiteTable(double r0, double spacing, ReadOnlySpan<double> values, ReadOnlySpan<double> slopes, double? cutoff)
    {
        if (values.Length != slopes.Length) throw new ArgumentException($"a Hermite table needs one slope per value, got {values.Length} values and {slopes.Length} slopes");
        if (values.Length < 2) throw new ArgumentException($"a Hermite table needs at least 2 knots, got {values.Length}");
        if (!(spacing > 0) || !double.IsFinite(spacing)) throw new ArgumentException($"table spacing must be positive, got {spacing}");
        if (!double.IsFinite(r0) || r0 < 0) throw new ArgumentException($"table start r0 must be finite and non-negative, got {r0}");
        R0 = r0;
        Spacing = spacing;
        InverseSpacing = 1 / spacing;
        var n = values.Length;
        var end = r0 + (n - 1) * spacing;
        // Rounding only: a cutoff further out would leave r between it and the last knot to the members' extrapolation
        // of the last interval but to the kernels' zero interval.
        if (cutoff is { } c && !(Math.Abs(c - end) <= 1e-12 * end))
            throw new ArgumentException($"table cutoff {c} is not its last knot r0 + (n-1)·spacing = {end}");
        Cutoff = cutoff ?? end;
        _values = values.ToArray();
        _slopes = slopes.ToArray();
        _coefficients = GC.AllocateArray<double>(4 * n, pinned: true);
        _coefficientsSingle = GC.AllocateArray<float>(4 * n, pinned: true);
        _slopeCoefficients = new double[3 * n];
        _slopeCoefficientsSingle = new float[3 * n];
        Rebuild();
    }

    /// <summary>
    /// Samples u and du/dr on a uniform grid from <paramref name="r0"/> to <paramref name="cutoff"/>; the spacing is
    /// shrunk to the nearest value that puts a knot exactly at the cutoff.
    /// </summary>
    public static HermiteTable FromFunction(double r0, double cutoff, double spacing, Func<double, double> energy, Func<double, double> derivative)
    {
        var (n, delta) = Grid(r0, cutoff, spacing);
        var y = new double[n];
        var m = new double[n];
        for (var k = 0; k < n; k++)
        {
            var r = KnotAt(r0, delta, n, k, cutoff);
            y[k] = energy(r);
            m[k] = derivative(r);
        }
        return new HermiteTable(r0, delta, y, m, cutoff);
    }

    /// <summary>The number of knots n and the spacing Δ ≤ <paramref name="spacing"/> of a grid from r₀ to the cutoff with a knot on each end.</summary>
    public static (int Knots, double Spacing) Grid(double r0, double cutoff, double spacing)
    {
        if (!(cutoff > r0)) throw new ArgumentException($"table cutoff {cutoff} must exceed its start {r0}");
        if (!(spacing > 0)) throw new ArgumentException($"table spacing must be positive, got {spacing}");
        var intervals = (int)Math.Ceiling((cutoff - r0) / spacing - 1e-9);
        intervals = Math.Max(intervals, 1);
        return (intervals + 1, (cutoff - r0) / intervals);
    }

    /// <summary>Knot k of the grid, with the last knot exactly at the cutoff (no rounding drift).</summary>
    public static double KnotAt(double r0, double spacing, int knots, int k, double cutoff) => k == knots - 1 ? cutoff : r0 + k * spacing;

    /// <summary>First knot r₀.</summary>
    public double R0 { get; }

    /// <summary>Knot spacing Δ.</summary>
    public double Spacing { get; }

    /// <summary>1/Δ.</summary>
    public double InverseSpacing { get; }

    /// <summary>Number of knots n.</summary>
    public int Count => _values.Length;

    /// <summary>The last knot: r₀ + (n−1)Δ, or the cutoff given to the constructor (that sum without its rounding); beyond it the potential is zero.</summary>
    public double Cutoff { get; }

    /// <summary>Knot values y_k = u(r_k).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Knot slopes m_k = u'(r_k).</summary>
    public ReadOnlySpan<double> Slopes => _slopes;

    /// <summary>Knot r_k.</summary>
    public double Knot(int k) => KnotAt(R0, Spacing, Count, k, Cutoff);

    /// <summary>Rewrites the knot values and slopes in place (every copy of this struct sees them).</summary>
    public void SetKnots(ReadOnlySpan<double> values, ReadOnlySpan<double> slopes)
    {
        if (values.Length != Count || slopes.Length != Count) throw new ArgumentException($"expected {Count} values and slopes, got {values.Length} and {slopes.Length}");
        values.CopyTo(_values);
        slopes.CopyTo(_slopes);
        Rebuild();
    }

    private void Rebuild()
    {
        var n = Count;
        var c = _coefficients;
        var h = Spacing;
        for (var k = 0; k < n - 1; k++)
        {
            double y0 = _values[k], y1 = _values[k + 1], m0 = h * _slopes[k], m1 = h * _slopes[k + 1];
            c[k] = y0;
            c[n + k] = m0;
            c[2 * n + k] = 3 * (y1 - y0) - 2 * m0 - m1;
            c[3 * n + k] = 2 * (y0 - y1) + m0 + m1;
        }
        c[n - 1] = c[2 * n - 1] = c[3 * n - 1] = c[4 * n - 1] = 0;
        for (var k = 0; k < c.Length; k++) _coefficientsSingle[k] = (float)c[k];
        for (var k = 0; k < n; k++)
        {
            _slopeCoefficients[k] = c[n + k] * InverseSpacing;
            _slopeCoefficients[n + k] = 2 * c[2 * n + k] * InverseSpacing;
            _slopeCoefficients[2 * n + k] = 3 * c[3 * n + k] * InverseSpacing;
        }
        for (var k = 0; k < 3 * n; k++) _slopeCoefficientsSingle[k] = (float)_slopeCoefficients[k];
    }

    public static int ParameterCount => 0;

    public static ReadOnlySpan<string> ParameterNames => [];

    public static HermiteTable FromParameters(ReadOnlySpan<double> parameters)
        => throw new NotSupportedException("a Hermite table is built from its knots; its knots are trained by DifferentiableTableField");

    public void WriteParameters(Span<double> destination) { }

    public void ParameterGradient(double r, Span<double> gradient) { }

    public void ParameterGradientOfDerivative(double r, Span<double> gradient) { }

    /// <summary>
    /// Interval k holding r and the local coordinate s = (r − r_k)/Δ, for the r-based members: k = 0 (s &lt; 0) below
    /// r₀, the last real interval up to and including the cutoff, false beyond it.
    /// </summary>
    public bool Locate(double r, out int k, out double s)
    {
        if (r > Cutoff) { k = Count - 1; s = 0; return false; }
        var x = (r - R0) * InverseSpacing;
        var f = Math.Clamp(Math.Floor(x), 0, Count - 2);
        k = (int)f;
        s = x - f;
        return true;
    }

    public double Energy(double r) => Locate(r, out var k, out var s) ? Value(k, s) : 0;

    public double Derivative(double r) => Locate(r, out var k, out var s) ? Slope(k, s) : 0;

    public double SecondDerivative(double r) => Locate(r, out var k, out var s) ? Curvature(k, s) : 0;

    // The cubic of interval k at local coordinate s, and its first and second derivatives in r.
    private double Value(int k, double s)
    {
        var (n, c) = (Count, _coefficients);
        return c[k] + s * (c[n + k] + s * (c[2 * n + k] + s * c[3 * n + k]));
    }

    private double Slope(int k, double s)
    {
        var (n, c) = (Count, _coefficients);
        return (c[n + k] + s * (2 * c[2 * n + k] + 3 * s * c[3 * n + k])) * InverseSpacing;
    }

    private double Curvature(int k, double s)
    {
        var (n, c) = (Count, _coefficients);
        return (2 * c[2 * n + k] + 6 * s * c[3 * n + k]) * InverseSpacing * InverseSpacing;
    }

    /// <summary>
    /// u, u' and u'' at r and their knot weights over the interval k holding r, from one lookup (the energy/virial
    /// reverse pass needs them all): ∂u/∂(y_k, m_k, y_{k+1}, m_{k+1}), the Hermite basis h₀₀, Δh₁₀, h₀₁, Δh₁₁, and
    /// ∂u'/∂(…), their derivatives over Δ. False (and all zero) beyond the cutoff.
    /// </summary>
    public bool EnergyJet(double r, out int k, out double u, out double du, out double d2u, out KnotWeights energyWeights, out KnotWeights derivativeWeights)
    {
        if (!Locate(r, out k, out var s))
        {
            u = du = d2u = 0;
            energyWeights = derivativeWeights = default;
            return false;
        }
        var ih = InverseSpacing;
        u = Value(k, s);
        du = Slope(k, s);
        d2u = Curvature(k, s);
        var s2 = s * s;
        var s3 = s2 * s;
        energyWeights = new KnotWeights(2 * s3 - 3 * s2 + 1, Spacing * (s3 - 2 * s2 + s), -2 * s3 + 3 * s2, Spacing * (s3 - s2));
        derivativeWeights = new KnotWeights((6 * s2 - 6 * s) * ih, 3 * s2 - 4 * s + 1, (6 * s - 6 * s2) * ih, 3 * s2 - 2 * s);
        return true;
    }

    /// <summary>
    /// u', u'' and ∂u'/∂(y_k, m_k, y_{k+1}, m_{k+1}) lane-wise (the derivative part of <see cref="EnergyJet"/>) for the
    /// vectorised reverse pass, at distances within the table (callers mask lanes beyond the cutoff): returns each lane's interval k.
    /// </summary>
    /// <remarks>
    /// The clamp takes the processor's min and max (a NaN distance lands in interval 0), not the IEEE ones, whose NaN
    /// and signed-zero handling costs a dozen instructions a call; the intervals convert in one instruction where AVX
    /// has it. Inlined, so that the results stay in registers. With t = s d₃: u' = d₁ + s(d₂ + t), u'' = (d₂ + 2t)/Δ;
    /// the weights in factored form, (6s(s − 1)/Δ, (3s − 1)(s − 1), −6s(s − 1)/Δ, s(3s − 2)).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<int> DerivativeJet(Vector256<double> r, out Vector256<double> du, out Vector256<double> d2u, out KnotWeightLanes<double> weights)
    {
        var ih = Vector256.Create(InverseSpacing);
        var x = (r - Vector256.Create(R0)) * ih;
        var f = Vector256.MinNative(Vector256.MaxNative(Vector256.Floor(x), Vector256<double>.Zero), Vector256.Create(Count - 2.0));
        var s = x - f;
        var k = Avx.IsSupported ? Avx.ConvertToVector128Int32WithTruncation(f) : Vector128.Create((int)f[0], (int)f[1], (int)f[2], (int)f[3]);
        int k0 = k.GetElement(0), k1 = k.GetElement(1), k2 = k.GetElement(2), k3 = k.GetElement(3);
        var n = Count;
        ref var c = ref MemoryMarshal.GetArrayDataReference(_slopeCoefficients);
        var d1 = Vector256.Create(Unsafe.Add(ref c, k0), Unsafe.Add(ref c, k1), Unsafe.Add(ref c, k2), Unsafe.Add(ref c, k3));
        var d2 = Vector256.Create(Unsafe.Add(ref c, n + k0), Unsafe.Add(ref c, n + k1), Unsafe.Add(ref c, n + k2), Unsafe.Add(ref c, n + k3));
        var d3 = Vector256.Create(Unsafe.Add(ref c, 2 * n + k0), Unsafe.Add(ref c, 2 * n + k1), Unsafe.Add(ref c, 2 * n + k2), Unsafe.Add(ref c, 2 * n + k3));
        var t = s * d3;
        var inner = d2 + t;
        du = d1 + s * inner;
        d2u = (inner + t) * ih;
        var one = Vector256<double>.One;
        var sm1 = s - one;
        var s3 = Vector256.Create(3.0) * s;
        var value = s * sm1 * Vector256.Create(6 * InverseSpacing);
        weights = new KnotWeightLanes<double>(value, (s3 - one) * sm1, -value, s * (s3 - Vector256.Create(2.0)));
        return k;
    }

    /// <summary>
    /// <see cref="DerivativeJet(Vector256{double}, out Vector256{double}, out Vector256{double}, out KnotWeightLanes{double})"/>
    /// in single precision, eight lanes, for the float reverse pass (AVX2): the same formulas on the float copies of the
    /// slope coefficients.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<int> DerivativeJet(Vector256<float> r, out Vector256<float> du, out Vector256<float> d2u, out KnotWeightLanes<float> weights)
    {
        var ih = Vector256.Create((float)InverseSpacing);
        var x = (r - Vector256.Create((float)R0)) * ih;
        var f = Vector256.MinNative(Vector256.MaxNative(Vector256.Floor(x), Vector256<float>.Zero), Vector256.Create(Count - 2f));
        var s = x - f;
        var k = Avx.ConvertToVector256Int32WithTruncation(f);
        var n = Count;
        ref var c = ref MemoryMarshal.GetArrayDataReference(_slopeCoefficientsSingle);
        var d1 = Lanes(ref c, k);
        var d2 = Lanes(ref Unsafe.Add(ref c, n), k);
        var d3 = Lanes(ref Unsafe.Add(ref c, 2 * n), k);
        var t = s * d3;
        var inner = d2 + t;
        du = d1 + s * inner;
        d2u = (inner + t) * ih;
        var one = Vector256<float>.One;
        var sm1 = s - one;
        var s3 = Vector256.Create(3f) * s;
        var value = s * sm1 * Vector256.Create((float)(6 * InverseSpacing));
        weights = new KnotWeightLanes<float>(value, (s3 - one) * sm1, -value, s * (s3 - Vector256.Create(2f)));
        return k;
    }

    /// <summary>The eight elements at the lanes' indices, loaded one by one (Zen 1's hardware gather is slower).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Lanes(ref float origin, Vector256<int> k)
        => Vector256.Create(Unsafe.Add(ref origin, k.GetElement(0)), Unsafe.Add(ref origin, k.GetElement(1)), Unsafe.Add(ref origin, k.GetElement(2)),
            Unsafe.Add(ref origin, k.GetElement(3)), Unsafe.Add(ref origin, k.GetElement(4)), Unsafe.Add(ref origin, k.GetElement(5)),
            Unsafe.Add(ref origin, k.GetElement(6)), Unsafe.Add(ref origin, k.GetElement(7)));

    /// <summary>The lane constants of the prepared forms: r₀, 1/Δ and the last interval's index, in T.</summary>
    public static int LaneConstantCount => 3;

    public void LaneConstants<T>(Span<T> constants) where T : unmanaged, IFloatingPointIeee754<T>
    {
        constants[0] = T.CreateTruncating(R0);
        constants[1] = T.CreateTruncating(InverseSpacing);
        constants[2] = T.CreateTruncating(Count - 1);
    }

    // One pair at a time the constants cost nothing to convert: the scalar prepared form is the plain one (the same
    // values), which keeps the scalar kernel's inlining as it was.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate<T>(T r2, ref readonly T constants, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, out energy, out forceOverR);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate<T>(T r2, out T energy, out T forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = T.Sqrt(r2);
        var x = (r - T.CreateTruncating(R0)) * T.CreateTruncating(InverseSpacing);
        var f = T.Clamp(T.Floor(x), T.Zero, T.CreateTruncating(Count - 1));
        var k = int.CreateTruncating(f);
        var s = x - f;
        var n = Count;
        T c0, c1, c2, c3;
        if (typeof(T) == typeof(float))
        {
            var c = _coefficientsSingle;
            c0 = T.CreateTruncating(c[k]); c1 = T.CreateTruncating(c[n + k]); c2 = T.CreateTruncating(c[2 * n + k]); c3 = T.CreateTruncating(c[3 * n + k]);
        }
        else
        {
            var c = _coefficients;
            c0 = T.CreateTruncating(c[k]); c1 = T.CreateTruncating(c[n + k]); c2 = T.CreateTruncating(c[2 * n + k]); c3 = T.CreateTruncating(c[3 * n + k]);
        }
        energy = c0 + s * (c1 + s * (c2 + s * c3));
        var du = (c1 + s * (T.CreateTruncating(2) * c2 + T.CreateTruncating(3) * s * c3)) * T.CreateTruncating(InverseSpacing);
        forceOverR = -du / r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate<T>(Vector256<T> r2, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, Vector256.Create(T.CreateTruncating(R0)), Vector256.Create(T.CreateTruncating(InverseSpacing)), Vector256.Create(T.CreateTruncating(Count - 1)), out energy, out forceOverR);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate<T>(Vector256<T> r2, ref readonly Vector256<T> constants, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
        => Evaluate(r2, constants, Unsafe.Add(ref Unsafe.AsRef(in constants), 1), Unsafe.Add(ref Unsafe.AsRef(in constants), 2), out energy, out forceOverR);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void Evaluate<T>(Vector256<T> r2, Vector256<T> r0, Vector256<T> inverseSpacing, Vector256<T> last, out Vector256<T> energy, out Vector256<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = Vector256.Sqrt(r2);
        var x = (r - r0) * inverseSpacing;
        // The processor's min and max (a NaN distance lands in interval 0): the IEEE Min and Max spend a dozen
        // instructions each on NaN and signed zeros, on the path to the gathers.
        var f = Vector256.MinNative(Vector256.MaxNative(Floor(x), Vector256<T>.Zero), last);
        var s = x - f;
        Vector256<T> c0, c1, c2, c3;
        var n = Count;
        if (typeof(T) == typeof(float) && Avx2.IsSupported)
        {
            var idx = Avx.ConvertToVector256Int32WithTruncation(f.As<T, float>());
            var p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_coefficientsSingle));
            c0 = Avx2.GatherVector256(p, idx, sizeof(float)).As<float, T>();
            c1 = Avx2.GatherVector256(p + n, idx, sizeof(float)).As<float, T>();
            c2 = Avx2.GatherVector256(p + 2 * n, idx, sizeof(float)).As<float, T>();
            c3 = Avx2.GatherVector256(p + 3 * n, idx, sizeof(float)).As<float, T>();
        }
        else if (typeof(T) == typeof(double) && Avx2.IsSupported)
        {
            var idx = Avx.ConvertToVector128Int32WithTruncation(f.As<T, double>());
            var p = (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_coefficients));
            c0 = Avx2.GatherVector256(p, idx, sizeof(double)).As<double, T>();
            c1 = Avx2.GatherVector256(p + n, idx, sizeof(double)).As<double, T>();
            c2 = Avx2.GatherVector256(p + 2 * n, idx, sizeof(double)).As<double, T>();
            c3 = Avx2.GatherVector256(p + 3 * n, idx, sizeof(double)).As<double, T>();
        }
        else
        {
            GatherLanes(f, out c0, out c1, out c2, out c3);
        }
        energy = c0 + s * (c1 + s * (c2 + s * c3));
        var du = (c1 + s * (Vector256.Create(T.CreateTruncating(2)) * c2 + Vector256.Create(T.CreateTruncating(3)) * s * c3)) * inverseSpacing;
        forceOverR = -du / r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Floor<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector256.Floor(x.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Floor(x.As<T, double>()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    private void GatherLanes<T>(Vector256<T> f, out Vector256<T> c0, out Vector256<T> c1, out Vector256<T> c2, out Vector256<T> c3) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector256<T>.Count;
        Span<T> lanes = stackalloc T[4 * w];
        var n = Count;
        for (var l = 0; l < w; l++)
        {
            var k = int.CreateTruncating(f[l]);
            for (var q = 0; q < 4; q++)
                lanes[q * w + l] = typeof(T) == typeof(float) ? T.CreateTruncating(_coefficientsSingle[q * n + k]) : T.CreateTruncating(_coefficients[q * n + k]);
        }
        c0 = Vector256.Create<T>(lanes[..w]);
        c1 = Vector256.Create<T>(lanes.Slice(w, w));
        c2 = Vector256.Create<T>(lanes.Slice(2 * w, w));
        c3 = Vector256.Create<T>(lanes.Slice(3 * w, w));
    }

    // .NET has no 512-bit gather (see Forces.Gather), so the 512-bit form is the 256-bit form on each half.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate<T>(Vector512<T> r2, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Evaluate(r2.GetLower(), out var e0, out var f0);
        Evaluate(r2.GetUpper(), out var e1, out var f1);
        energy = Vector512.Create(e0, e1);
        forceOverR = Vector512.Create(f0, f1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Evaluate<T>(Vector512<T> r2, ref readonly Vector512<T> constants, out Vector512<T> energy, out Vector512<T> forceOverR) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> r0 = constants.GetLower(), inverseSpacing = Unsafe.Add(ref Unsafe.AsRef(in constants), 1).GetLower(), last = Unsafe.Add(ref Unsafe.AsRef(in constants), 2).GetLower();
        Evaluate(r2.GetLower(), r0, inverseSpacing, last, out var e0, out var f0);
        Evaluate(r2.GetUpper(), r0, inverseSpacing, last, out var e1, out var f1);
        energy = Vector512.Create(e0, e1);
        forceOverR = Vector512.Create(f0, f1);
    }
}

/// <summary>Weights of the four knot variables (y_k, m_k, y_{k+1}, m_{k+1}) of one interval in a linear functional of the table.</summary>
public readonly record struct KnotWeights(double Value0, double Slope0, double Value1, double Slope1);

/// <summary><see cref="KnotWeights"/> of a vector's lanes (four in double, eight in float).</summary>
public readonly record struct KnotWeightLanes<T>(Vector256<T> Value0, Vector256<T> Slope0, Vector256<T> Value1, Vector256<T> Slope1);
