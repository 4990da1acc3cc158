namespace DiffSim.Potentials.Neural;

/// <summary>
/// Hidden-layer nonlinearity of a <see cref="PairNetwork"/>. All are at least C¹, so u(r) has a continuous derivative
/// and the table built from u and du/dr conserves energy; the reverse pass of du/dr needs σ'' as well.
/// </summary>
public enum Activation
{
    /// <summary>z·sigmoid(z) (swish): smooth, the default.</summary>
    Silu,

    /// <summary>ELU with α = 1, as mdgrad uses: C¹ (σ'' jumps at 0).</summary>
    Elu,

    /// <summary>ln(1 + eᶻ): smooth.</summary>
    Softplus,

    /// <summary>tanh z: smooth.</summary>
    Tanh,
}

internal static class ActivationFunctions
{
    /// <summary>σ(z), σ'(z) and σ''(z).</summary>
    public static double Apply(Activation activation, double z, out double d1, out double d2)
    {
        switch (activation)
        {
            case Activation.Silu:
            {
                var sg = 1 / (1 + Math.Exp(-z));
                d1 = sg * (1 + z * (1 - sg));
                d2 = sg * (1 - sg) * (2 + z * (1 - 2 * sg));
                return z * sg;
            }
            case Activation.Elu:
                if (z > 0) { d1 = 1; d2 = 0; return z; }
                d1 = d2 = Math.Exp(z);
                return d1 - 1;
            case Activation.Softplus:
            {
                var sg = 1 / (1 + Math.Exp(-z));
                d1 = sg;
                d2 = sg * (1 - sg);
                return Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            }
            case Activation.Tanh:
            {
                var t = Math.Tanh(z);
                d1 = 1 - t * t;
                d2 = -2 * t * d1;
                return t;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, null);
        }
    }
}
