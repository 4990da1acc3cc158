using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>The state's whole-array operations against their definitions element by element.</summary>
public class StateTests
{
    /// <summary>The vector loop of <see cref="State.WrapPositions"/> gives the bits of <see cref="Box.Wrap(double, double)"/>, a remainder particle included.</summary>
    [Fact]
    public void WrapPositionsHasTheBitsOfBoxWrap()
    {
        const int n = 23;
        var box = new Box(3.7, 4.1, 5.3);
        var state = new State(box, [ParticleType.Default], new int[n], UnitSystem.Lj);
        var rng = new Random(5);
        double[] special = [0.0, -0.0, 3.7, -3.7, 3.7 - 1e-16, -1e-300, 1e-17, 11.1, -1e9, double.NaN];
        for (var i = 0; i < n; i++)
        {
            state.X[i] = i < special.Length ? special[i] : 40 * (rng.NextDouble() - 0.5);
            state.Y[i] = 4.1 * (rng.NextDouble() * 3 - 1);
            state.Z[i] = i % 2 == 0 ? 5.3 * rng.NextDouble() : -5.3 * rng.NextDouble();
        }
        var (x, y, z) = ((double[])state.X.Clone(), (double[])state.Y.Clone(), (double[])state.Z.Clone());
        state.WrapPositions();
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Box.Wrap(x[i], box.Lx)), BitConverter.DoubleToInt64Bits(state.X[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Box.Wrap(y[i], box.Ly)), BitConverter.DoubleToInt64Bits(state.Y[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Box.Wrap(z[i], box.Lz)), BitConverter.DoubleToInt64Bits(state.Z[i]));
        }
    }
}
