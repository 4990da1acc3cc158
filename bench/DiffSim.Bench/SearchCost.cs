using System.Diagnostics;
using DiffSim.Observables;
using DiffSim.Setup;
using DiffSim.Systems;

namespace DiffSim.Bench;

/// <summary>
/// The pair search's two paths on the same systems (<c>search</c>): the time of one <see cref="PairSearch.Collect"/> by
/// the all-pairs scan and by the cell search, and which one the search chooses, for jiggled fcc lattices from 256 to
/// 13,500 particles at the densities and cutoffs of the training frames and reverse lists: the data behind
/// <c>PairSearch.CellsCheaper</c>'s costs.
/// </summary>
/// <remarks>
/// Wall time of batches of calls (at least 20 ms each), best of five, after both paths have reached the optimising JIT
/// tier: processor time counts the JIT's background threads, and single calls of some 50 µs are below its resolution.
/// </remarks>
internal static class SearchCost
{
    public static int Run(string[] args)
    {
        (int Cells, double Density, double Cutoff)[] systems =
        [
            (4, 0.3, 2.7), (4, 0.3, 3.43), (6, 0.3, 2.7), (6, 0.3, 3.43), (8, 0.3, 3.43),
            (6, 0.85, 2.5), (7, 0.85, 3.0), (8, 0.8442, 3.43), (10, 0.85, 3.0), (15, 0.85, 3.0),
        ];
        Console.WriteLine("particles  density  cutoff      pairs   all pairs      cells  chosen");
        foreach (var (cells, density, cutoff) in systems)
        {
            var state = Jiggled(cells, density);
            var scan = new PairSearch { PreferAllPairs = true };
            var grid = new PairSearch { PreferCells = true };
            var chosen = new PairSearch();
            chosen.Collect(state, cutoff);
            var scanTime = Best(() => scan.Collect(state, cutoff));
            var cellTime = Best(() => grid.Collect(state, cutoff));
            var cellText = grid.FirstPartnersAscending ? "no grid" : $"{cellTime * 1e3:F3} ms";
            Console.WriteLine($"{state.Count,9}  {density,7}  {cutoff,6}  {chosen.Count,9}  {scanTime * 1e3,7:F3} ms  {cellText,9}  {(chosen.FirstPartnersAscending ? "all pairs" : "cells")}");
        }
        return 0;
    }

    /// <summary>Seconds a call, the best of five batches.</summary>
    private static double Best(Action collect)
    {
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (calls < 300 || clock.ElapsedMilliseconds < 500) { collect(); calls++; }
        Thread.Sleep(200);
        var batch = Math.Max(1, (int)(calls * 20.0 / clock.ElapsedMilliseconds));
        var best = double.MaxValue;
        for (var b = 0; b < 5; b++)
        {
            clock.Restart();
            for (var c = 0; c < batch; c++) collect();
            best = Math.Min(best, clock.Elapsed.TotalSeconds / batch);
        }
        return best;
    }

    /// <summary>An fcc lattice of cells³ cells at <paramref name="density"/>, every coordinate moved by up to ±0.3 of a cell edge.</summary>
    private static State Jiggled(int cells, double density)
    {
        var a = Lattice.CellEdge(LatticeKind.Fcc, density);
        var (x, y, z) = Lattice.Sites(LatticeKind.Fcc, cells, cells, cells, a);
        var state = new State(Box.Cubic(cells * a), [ParticleType.Default], new int[x.Length], UnitSystem.Lj);
        var random = new Random(cells);
        for (var i = 0; i < x.Length; i++)
        {
            state.X[i] = x[i] + 0.3 * a * (2 * random.NextDouble() - 1);
            state.Y[i] = y[i] + 0.3 * a * (2 * random.NextDouble() - 1);
            state.Z[i] = z[i] + 0.3 * a * (2 * random.NextDouble() - 1);
        }
        return state;
    }
}
