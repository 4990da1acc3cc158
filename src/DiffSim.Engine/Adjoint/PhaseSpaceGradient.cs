namespace DiffSim.Adjoint;

/// <summary>
/// A gradient (or adjoint) over particle positions and velocities, ∂L/∂x and ∂L/∂v, in structure-of-arrays form
/// like <see cref="Systems.State"/>.
/// </summary>
public sealed class PhaseSpaceGradient
{
    public PhaseSpaceGradient(int count)
    {
        X = new double[count]; Y = new double[count]; Z = new double[count];
        Vx = new double[count]; Vy = new double[count]; Vz = new double[count];
    }

    public int Count => X.Length;
    public double[] X { get; }
    public double[] Y { get; }
    public double[] Z { get; }
    public double[] Vx { get; }
    public double[] Vy { get; }
    public double[] Vz { get; }

    /// <summary>∂L/∂(thermostat variables), laid out as <see cref="Systems.State.Thermostat"/>.</summary>
    public double[] Thermostat { get; set; } = [];

    public void Clear()
    {
        Array.Clear(X); Array.Clear(Y); Array.Clear(Z);
        Array.Clear(Vx); Array.Clear(Vy); Array.Clear(Vz);
        Array.Clear(Thermostat);
    }
}
