using System.Globalization;
using DiffSim.Adjoint;

namespace DiffSim.IO;

/// <summary>Writes a fitted pair potential as a CSV to plot and as a LAMMPS <c>pair_style table</c> file to run.</summary>
public static class PotentialExport
{
    /// <summary>Grid r_k = r_min + k Δr, k = 0..n−1, whose last point is r_max itself (the cutoff a table file names).</summary>
    public static double[] Grid(double rMin, double rMax, int points)
    {
        if (!(rMin > 0) || !(rMax > rMin) || points < 2) throw new ArgumentException($"potential grid needs 0 < r_min < r_max and at least 2 points, got [{rMin}, {rMax}] with {points}");
        return Enumerable.Range(0, points).Select(k => k == points - 1 ? rMax : rMin + (rMax - rMin) * k / (points - 1)).ToArray();
    }

    /// <summary>
    /// CSV with a <c>#</c> line stating the units, then column r, then u_A_A, f_A_A (f = −du/dr), … for each type pair
    /// a ≤ b; zero beyond a pair's cutoff. u is the run's: less its <see cref="IDifferentiableForceField.EnergyShift"/>
    /// (zero at the cutoff when shifted), as in the table.
    /// </summary>
    public static void WriteCsv(string path, IDifferentiableForceField field, IReadOnlyList<string> typeNames, double[] r, UnitSystem units)
    {
        using var w = new StreamWriter(path);
        var pairs = Pairs(field.TypeCount).ToArray();
        w.WriteLine($"# units {units.Name}: r in {units.LengthUnit}, u in {units.EnergyUnit}, f = -du/dr in {units.EnergyUnit}/{units.LengthUnit}");
        w.WriteLine("r," + string.Join(",", pairs.Select(p => $"u_{typeNames[p.A]}_{typeNames[p.B]},f_{typeNames[p.A]}_{typeNames[p.B]}")));
        foreach (var rk in r)
        {
            w.Write(rk.ToString("R", CultureInfo.InvariantCulture));
            foreach (var (a, b) in pairs)
            {
                double u = 0, du = 0;
                if (rk <= field.Cutoff(a, b)) u = field.PairEnergy(a, b, rk, out du) - field.EnergyShift(a, b);
                // + 0.0 turns a −0 (a zero force's negation) into 0.
                w.Write(FormattableString.Invariant($",{u + 0.0:R},{-du + 0.0:R}"));
            }
            w.WriteLine();
        }
    }

    /// <summary>
    /// A LAMMPS table file, one section per type pair named A_B, evenly spaced in r from r_min to the pair's cutoff;
    /// use it with <c>pair_style table spline N</c> and <c>pair_coeff a b file A_B cutoff</c>, as its header says (the
    /// linear style's own interpolation moved the pressure of a real-units water table by 0.3 %, the spline's by 1e-7).
    /// </summary>
    public static void WriteLammpsTable(string path, IDifferentiableForceField field, IReadOnlyList<string> typeNames, double rMin, int points, string units)
    {
        using var w = new StreamWriter(path);
        foreach (var (a, b) in Pairs(field.TypeCount))
        {
            var r = Grid(rMin, field.Cutoff(a, b), points);
            var u = new double[points];
            var f = new double[points];
            for (var k = 0; k < points; k++)
            {
                u[k] = field.PairEnergy(a, b, r[k], out var du) - field.EnergyShift(a, b);
                f[k] = -du;
            }
            LammpsTable.Write(w, $"{typeNames[a]}_{typeNames[b]}", r, u, f,
                $"DiffSim fitted pair potential {typeNames[a]}-{typeNames[b]} (units {units}); pair_style table spline {points}; pair_coeff {a + 1} {b + 1} <file> {typeNames[a]}_{typeNames[b]} {r[^1].ToString("R", CultureInfo.InvariantCulture)}");
            w.WriteLine();
        }
    }

    private static IEnumerable<(int A, int B)> Pairs(int types)
    {
        for (var a = 0; a < types; a++)
            for (var b = a; b < types; b++) yield return (a, b);
    }
}
