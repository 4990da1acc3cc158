namespace DiffSim;

/// <summary>
/// Marks a <c>partial struct</c> whose <c>double Energy(double r)</c> defines a pair potential u(r).
/// The DiffSim source generator emits the rest of <see cref="Potentials.IPairPotential{TSelf}"/>:
/// derivatives, parameter gradients and the SIMD and GPU forms used by the kernels.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class PairPotentialAttribute : Attribute
{
    /// <summary>Name used in TOML configs (<c>[potential] kind = "..."</c>); defaults to the struct name in lower case.</summary>
    public string? Name { get; set; }
}

/// <summary>Marks a <c>double</c> field of a <see cref="PairPotentialAttribute"/> struct as a trainable parameter θ.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class ParameterAttribute : Attribute
{
    /// <summary>
    /// Whether the parameter must be positive (a length scale such as σ, a decay rate): a config that gives zero or
    /// less is rejected with a message naming it, rather than run (σ = 0 makes Lennard-Jones vanish without a word).
    /// </summary>
    public bool Positive { get; set; }
}
