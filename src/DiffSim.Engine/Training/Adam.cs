namespace DiffSim.Training;

/// <summary>
/// Adam (Kingma and Ba, arXiv:1412.6980): per-parameter steps from bias-corrected running means of the gradient
/// and of its square. Its moments are plain arrays so that a training checkpoint can save and restore them.
/// </summary>
public sealed class Adam
{
    public Adam(int parameterCount, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        if (!(beta1 is >= 0 and < 1) || !(beta2 is >= 0 and < 1)) throw new ArgumentException("Adam's β₁ and β₂ must lie in [0, 1)");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        FirstMoment = new double[parameterCount];
        SecondMoment = new double[parameterCount];
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public double[] FirstMoment { get; }
    public double[] SecondMoment { get; }

    /// <summary>Number of updates made.</summary>
    public int Steps { get; set; }

    /// <summary>θ ← θ − α m̂/(√v̂ + ε) for the parameters where <paramref name="free"/> is true.</summary>
    public void Update(Span<double> theta, ReadOnlySpan<double> gradient, double learningRate, ReadOnlySpan<bool> free)
    {
        Steps++;
        var c1 = 1 - Math.Pow(Beta1, Steps);
        var c2 = 1 - Math.Pow(Beta2, Steps);
        for (var k = 0; k < theta.Length; k++)
        {
            if (!free[k]) continue;
            FirstMoment[k] = Beta1 * FirstMoment[k] + (1 - Beta1) * gradient[k];
            SecondMoment[k] = Beta2 * SecondMoment[k] + (1 - Beta2) * gradient[k] * gradient[k];
            theta[k] -= learningRate * (FirstMoment[k] / c1) / (Math.Sqrt(SecondMoment[k] / c2) + Epsilon);
        }
    }
}
