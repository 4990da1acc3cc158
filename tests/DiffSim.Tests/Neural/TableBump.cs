using DiffSim.Potentials;

namespace DiffSim.Tests.Neural;

/// <summary>Directions in a table field's parameters for finite-difference checks.</summary>
internal static class TableBump
{
    /// <summary>
    /// A smooth Gaussian bump of u(r) at <paramref name="centre"/>, as a direction in θ = (knot values, knot slopes) of a
    /// single table (length <paramref name="parameters"/>): the values follow the bump, the slopes its derivative.
    /// </summary>
    public static double[] Direction(HermiteTable table, int parameters, double centre, double width)
    {
        var v = new double[parameters];
        for (var k = 0; k < table.Count; k++)
        {
            var r = table.Knot(k);
            var bump = Math.Exp(-(r - centre) * (r - centre) / (2 * width * width));
            v[k] = bump;
            v[table.Count + k] = -(r - centre) / (width * width) * bump;
        }
        return v;
    }
}
