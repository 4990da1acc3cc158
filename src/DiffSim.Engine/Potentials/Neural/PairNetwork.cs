using DiffSim.Numerics;

namespace DiffSim.Potentials.Neural;

/// <summary>
/// The shape of a pair network: a Gaussian radial basis of <see cref="Gaussians"/> centres on [0, r_c], then
/// <see cref="Depth"/> hidden layers of <see cref="Width"/> units, then one linear output (Wang et al., J. Chem. Phys.
/// 158, 044113 (2023), and torchmd/mdgrad's pair MLP).
/// </summary>
public sealed record PairNetworkShape
{
    /// <summary>Number of Gaussian centres μ_i = i·r_c/(G − 1).</summary>
    public int Gaussians { get; init; } = 32;

    /// <summary>Gaussian width w in exp(−(r − μ)²/(2w²)); null means the centre spacing r_c/(G − 1).</summary>
    public double? GaussianWidth { get; init; }

    /// <summary>Units per hidden layer.</summary>
    public int Width { get; init; } = 64;

    /// <summary>Number of hidden layers (at least 1).</summary>
    public int Depth { get; init; } = 2;

    public Activation Activation { get; init; } = Activation.Silu;
}

/// <summary>
/// A scalar network N(r) of the pair distance, with its forward value, its r-derivative N'(r) (forward-mode tangent
/// carried through the layers) and the reverse pass of a·N + b·N' with respect to the weights, all by hand.
/// The weights are not held here: every member takes θ as a span, so one network serves any parameter vector and a
/// field keeps a single θ. Holds scratch buffers: one instance must not be used from two threads at once.
/// </summary>
/// <remarks>
/// θ layout, layer by layer: W (out × in, row-major) then b; the output layer last (w_out, b_out). Forward with tangent:
/// z = W x + b, ż = W ẋ; a = σ(z), ȧ = σ'(z) ż; N = w_out·a + b_out, N' = w_out·ȧ; x₀ = g(r), ẋ₀ = dg/dr.
/// Reverse of a·N + b·N': ā = a w_out, ǡ = b w_out; per layer z̄ = ā σ'(z) + ǡ σ''(z) ż, ż̄ = ǡ σ'(z);
/// ∂W += z̄ xᵀ + ż̄ ẋᵀ, ∂b += z̄, and x̄ = Wᵀ z̄, ẋ̄ = Wᵀ ż̄ feed the layer below.
/// </remarks>
public sealed class PairNetwork
{
    private readonly double[] _centres;
    private readonly double _gamma;
    private readonly int[] _size;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    // Per layer (input included as layer 0): activation x, tangent ẋ; per hidden layer: ż, σ', σ''.
    private readonly double[][] _x, _xt, _zt, _d1, _d2;
    private readonly double[] _bar, _barT, _nextBar, _nextBarT;

    public PairNetwork(PairNetworkShape shape, double cutoff)
    {
        if (shape.Gaussians < 2) throw new ArgumentException($"a pair network needs at least 2 Gaussians, got {shape.Gaussians}");
        if (shape.Width < 1 || shape.Depth < 1) throw new ArgumentException($"a pair network needs width and depth of at least 1, got {shape.Width} and {shape.Depth}");
        if (!(cutoff > 0)) throw new ArgumentException($"cutoff must be positive, got {cutoff}");
        Shape = shape;
        Cutoff = cutoff;
        var g = shape.Gaussians;
        _centres = Enumerable.Range(0, g).Select(i => i * cutoff / (g - 1)).ToArray();
        var w = shape.GaussianWidth ?? cutoff / (g - 1);
        if (!(w > 0)) throw new ArgumentException($"Gaussian width must be positive, got {w}");
        _gamma = 1 / (2 * w * w);

        var layers = shape.Depth + 1;
        _size = new int[layers + 1];
        _size[0] = g;
        for (var l = 1; l <= shape.Depth; l++) _size[l] = shape.Width;
        _size[layers] = 1;
        _weightOffset = new int[layers];
        _biasOffset = new int[layers];
        var offset = 0;
        for (var l = 0; l < layers; l++)
        {
            _weightOffset[l] = offset;
            offset += _size[l + 1] * _size[l];
            _biasOffset[l] = offset;
            offset += _size[l + 1];
        }
        ParameterCount = offset;

        _x = new double[layers][]; _xt = new double[layers][];
        _zt = new double[layers][]; _d1 = new double[layers][]; _d2 = new double[layers][];
        for (var l = 0; l < layers; l++)
        {
            _x[l] = new double[_size[l]]; _xt[l] = new double[_size[l]];
            _zt[l] = new double[_size[l + 1]]; _d1[l] = new double[_size[l + 1]]; _d2[l] = new double[_size[l + 1]];
        }
        var widest = _size.Max();
        _bar = new double[widest]; _barT = new double[widest]; _nextBar = new double[widest]; _nextBarT = new double[widest];
    }

    public PairNetworkShape Shape { get; }
    public double Cutoff { get; }
    public int ParameterCount { get; }
    private int Layers => _size.Length - 1;

    /// <summary>
    /// Xavier-uniform weights (bound √(6/(fan_in + fan_out)), Glorot and Bengio 2010) and zero biases, from a
    /// counter-based stream: the same (seed, stream) always gives the same network. With
    /// <paramref name="zeroOutput"/> the output layer starts at zero, so N ≡ 0.
    /// </summary>
    public void Initialise(Span<double> theta, ulong seed, ulong stream, bool zeroOutput = false)
    {
        if (theta.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} parameters, got {theta.Length}");
        theta.Clear();
        var random = new CounterRandom(seed);
        for (var l = 0; l < Layers; l++)
        {
            if (zeroOutput && l == Layers - 1) continue;
            var bound = Math.Sqrt(6.0 / (_size[l] + _size[l + 1]));
            var count = _size[l] * _size[l + 1];
            for (var k = 0; k < count; k++)
                theta[_weightOffset[l] + k] = bound * (2 * random.Uniform(stream, (ulong)(_weightOffset[l] + k)) - 1);
        }
    }

    /// <summary>Name of parameter p: <c>w1[i,j]</c>, <c>b1[i]</c> for hidden layer 1, …, <c>w_out[j]</c>, <c>b_out</c>.</summary>
    public string ParameterName(int p)
    {
        for (var l = Layers - 1; l >= 0; l--)
        {
            var layer = l == Layers - 1 ? "_out" : (l + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (p >= _biasOffset[l]) return l == Layers - 1 ? "b_out" : $"b{layer}[{p - _biasOffset[l]}]";
            if (p >= _weightOffset[l])
            {
                var k = p - _weightOffset[l];
                return l == Layers - 1 ? $"w_out[{k}]" : $"w{layer}[{k / _size[l]},{k % _size[l]}]";
            }
        }
        throw new ArgumentOutOfRangeException(nameof(p));
    }

    /// <summary>N(r), and N'(r) in <paramref name="derivative"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> theta, double r, out double derivative)
    {
        if (theta.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} parameters, got {theta.Length}");
        Basis(r);
        var act = Shape.Activation;
        var last = Layers - 1;
        for (var l = 0; l < last; l++)
        {
            var input = _x[l]; var inputT = _xt[l];
            var output = _x[l + 1]; var outputT = _xt[l + 1];
            var zt = _zt[l]; var d1 = _d1[l]; var d2 = _d2[l];
            var nIn = _size[l];
            for (var i = 0; i < _size[l + 1]; i++)
            {
                var row = theta.Slice(_weightOffset[l] + i * nIn, nIn);
                double z = theta[_biasOffset[l] + i], dz = 0;
                for (var j = 0; j < nIn; j++) { z += row[j] * input[j]; dz += row[j] * inputT[j]; }
                output[i] = ActivationFunctions.Apply(act, z, out d1[i], out d2[i]);
                zt[i] = dz;
                outputT[i] = d1[i] * dz;
            }
        }
        {
            var wOut = theta.Slice(_weightOffset[last], _size[last]);
            double n = theta[_biasOffset[last]], dn = 0;
            for (var j = 0; j < wOut.Length; j++) { n += wOut[j] * _x[last][j]; dn += wOut[j] * _xt[last][j]; }
            derivative = dn;
            return n;
        }
    }

    /// <summary>Adds ∂(a·N(r) + b·N'(r))/∂θ to <paramref name="gradient"/>.</summary>
    public void Backward(ReadOnlySpan<double> theta, double r, double a, double b, Span<double> gradient)
    {
        if (gradient.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} gradient entries, got {gradient.Length}");
        if (a == 0 && b == 0) return;
        Evaluate(theta, r, out _);
        var last = Layers - 1;
        var width = _size[last];
        var wOut = theta.Slice(_weightOffset[last], width);
        var gOut = gradient.Slice(_weightOffset[last], width);
        var bar = _bar; var barT = _barT;
        for (var j = 0; j < width; j++)
        {
            gOut[j] += a * _x[last][j] + b * _xt[last][j];
            bar[j] = a * wOut[j];
            barT[j] = b * wOut[j];
        }
        gradient[_biasOffset[last]] += a;
        for (var l = last - 1; l >= 0; l--)
        {
            var nOut = _size[l + 1];
            var nIn = _size[l];
            var d1 = _d1[l]; var d2 = _d2[l]; var zt = _zt[l];
            // ā, ǡ of this layer's output become z̄, ż̄ in place.
            for (var i = 0; i < nOut; i++)
            {
                var zBar = bar[i] * d1[i] + barT[i] * d2[i] * zt[i];
                barT[i] *= d1[i];
                bar[i] = zBar;
            }
            var input = _x[l]; var inputT = _xt[l];
            var nextBar = _nextBar; var nextBarT = _nextBarT;
            if (l > 0) { Array.Clear(nextBar, 0, nIn); Array.Clear(nextBarT, 0, nIn); }
            for (var i = 0; i < nOut; i++)
            {
                double zb = bar[i], zbt = barT[i];
                gradient[_biasOffset[l] + i] += zb;
                var g = gradient.Slice(_weightOffset[l] + i * nIn, nIn);
                for (var j = 0; j < nIn; j++) g[j] += zb * input[j] + zbt * inputT[j];
                if (l == 0) continue;
                var row = theta.Slice(_weightOffset[l] + i * nIn, nIn);
                for (var j = 0; j < nIn; j++) { nextBar[j] += row[j] * zb; nextBarT[j] += row[j] * zbt; }
            }
            if (l > 0)
            {
                Array.Copy(nextBar, bar, nIn);
                Array.Copy(nextBarT, barT, nIn);
            }
        }
    }

    private void Basis(double r)
    {
        var g = _x[0];
        var gt = _xt[0];
        for (var i = 0; i < g.Length; i++)
        {
            var d = r - _centres[i];
            g[i] = Math.Exp(-_gamma * d * d);
            gt[i] = -2 * _gamma * d * g[i];
        }
    }
}
