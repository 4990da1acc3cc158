namespace DiffSim.Cli.Config;

/// <summary>A squared-deviation term on a scalar window average: L = weight ((A − target)/scale)².</summary>
/// <param name="Scale">null: the builder's default for the state point (ρ k_B T for the pressure, k_B T for the energy).</param>
public sealed record ScalarTermConfig(double Target, double Weight, double? Scale);

/// <summary>A VACF term: the MSE over lags against a target C(t) from a file, raw or normalised by C(0).</summary>
public sealed record VacfTermConfig(string File, double Weight, bool Normalised);

/// <summary>
/// The optional loss terms of a <c>[[state]]</c> besides its RDF: <c>pressure</c> (with <c>pressure_weight</c>,
/// <c>pressure_scale</c>), <c>energy</c> (potential energy per particle, with <c>energy_weight</c>,
/// <c>energy_scale</c>), and <c>vacf_target</c> (with <c>vacf_weight</c>, <c>vacf_normalised</c>).
/// </summary>
public sealed record StateTermsConfig(ScalarTermConfig? Pressure, ScalarTermConfig? Energy, VacfTermConfig? Vacf)
{
    public static readonly StateTermsConfig None = new(null, null, null);

    public bool Any => Pressure is not null || Energy is not null || Vacf is not null;

    public static StateTermsConfig Read(TomlSection s)
    {
        var pressure = Scalar(s, "pressure", "the target pressure in the run's pressure unit (ε/σ³ for lj, atm for real), e.g. pressure = 2.63");
        var energy = Scalar(s, "energy", "the target potential energy per particle in the run's energy unit (ε for lj, kcal/mol for real)");
        VacfTermConfig? vacf = null;
        var file = s.String("vacf_target");
        var weight = Weight(s, "vacf_weight");
        var normalised = s.Bool("vacf_normalised");
        if (file is null)
        {
            if (weight is not null || normalised is not null)
                throw s.Missing("vacf_target", $"{s.Name(weight is not null ? "vacf_weight" : "vacf_normalised")} is set but the target is not: give vacf_target = \"file.csv\" (columns t, C(t))");
        }
        else vacf = new VacfTermConfig(s.Source.Resolve(file), weight ?? 1.0, normalised ?? false);
        return new StateTermsConfig(pressure, energy, vacf);
    }

    private static ScalarTermConfig? Scalar(TomlSection s, string key, string hint)
    {
        var target = s.Double(key);
        var weight = Weight(s, $"{key}_weight");
        var scale = s.Double($"{key}_scale");
        if (scale is { } c && !(c > 0 && double.IsFinite(c))) throw s.Error($"{key}_scale", $"must be positive and finite, got {c}");
        if (target is null)
        {
            if (weight is not null || scale is not null)
                throw s.Missing(key, $"{s.Name(weight is not null ? $"{key}_weight" : $"{key}_scale")} is set but the target is not: give {hint}");
            return null;
        }
        if (!double.IsFinite(target.Value)) throw s.Error(key, $"must be a finite number, got {target.Value}");
        return new ScalarTermConfig(target.Value, weight ?? 1.0, scale);
    }

    private static double? Weight(TomlSection s, string key)
    {
        var w = s.Double(key);
        if (w is { } v && !(v >= 0 && double.IsFinite(v))) throw s.Error(key, $"must be zero or more and finite, got {v}");
        return w;
    }
}
