using DiffSim.IO;
using DiffSim.Systems;

namespace DiffSim.Tests.Observables;

public sealed class RdfTargetReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("diffsim-rdf-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsTwoColumnCsvWithAndWithoutHeader()
    {
        var withHeader = RdfTargetReader.ReadCsv(Write("a.csv", "# target\nr,g\n0.1,0\n0.2,0.5\n\n0.3,1.25 \n"));
        Assert.Equal([0.1, 0.2, 0.3], withHeader.R);
        Assert.Equal([0, 0.5, 1.25], withHeader.Partial(0));
        Assert.Equal(["g"], withHeader.Names);

        var bare = RdfTargetReader.Read(Write("b.csv", "0.1, 0\n0.2, 0.5\n0.3, 1.25\n"));
        Assert.Equal(withHeader.Partial(0), bare.Partial(0));
        Assert.Equal(["g"], bare.Names);

        var spaces = RdfTargetReader.ReadCsv(Write("c.dat", "0.1 0 1\n0.2\t0.5 2\n"));
        Assert.Equal(["g1", "g2"], spaces.Names);
        Assert.Equal([1.0, 2.0], spaces.Partial(1));
    }

    [Fact]
    public void ReadsNamedPartials()
    {
        var target = RdfTargetReader.ReadCsv(Write("mix.csv", "r,g_A_A,g_A_B,g_B_B\n0.5,1,2,3\n1.0,4,5,6\n"));
        Assert.Equal(3, target.PartialCount);
        Assert.Equal(1, target.IndexOfPair("B", "A"));
        Assert.Equal(2, target.IndexOf("G_B_B"));
        Assert.Equal(2, target.IndexOf("3"));
        Assert.Equal([2.0, 5.0], target.Partial(target.IndexOfPair("A", "B")));
    }

    [Fact]
    public void ReadsLammpsAveTimeBlocks()
    {
        const string text = """
            # Time-averaged data for fix rdf
            # TimeStep Number-of-rows
            # Row c_rdf[1] c_rdf[2] c_rdf[3] c_rdf[4] c_rdf[5]
            1000 3
            1 0.25 0 0 0 0
            2 0.75 1.0 0.5 2.0 0.25
            3 1.25 2.0 1.0 4.0 0.75
            2000 3
            1 0.25 0 0 0 0
            2 0.75 3.0 1.5 6.0 0.5
            3 1.25 4.0 3.0 8.0 1.0
            """;
        var path = Write("rdf.lammps", text);
        var last = RdfTargetReader.ReadLammps(path);
        Assert.Equal([0.25, 0.75, 1.25], last.R);
        Assert.Equal(["g1", "g2"], last.Names);
        Assert.Equal([0, 3.0, 4.0], last.Partial(0));
        Assert.Equal([0, 6.0, 8.0], last.Partial(1));
        var mean = RdfTargetReader.Read(path, LammpsRdfBlocks.Average);
        Assert.Equal([0, 2.0, 3.0], mean.Partial(0));
        Assert.Equal([0, 4.0, 6.0], mean.Partial(1));
    }

    [Fact]
    public void InterpolationIsExactForLinearG()
    {
        var lines = Enumerable.Range(0, 11).Select(k => $"{0.5 + 0.2 * k},{2 * (0.5 + 0.2 * k) + 1}");
        var target = RdfTargetReader.ReadCsv(Write("lin.csv", string.Join("\n", lines)));
        double[] centres = [0.5, 0.61, 1.0, 1.337, 2.49, 2.5];
        var g = target.OnGrid(0, centres);
        for (var k = 0; k < centres.Length; k++) Assert.Equal(2 * centres[k] + 1, g[k], 12);

        // Outside the requested range: NaN, not an error.
        var partial = target.OnGrid(0, [0.1, 1.0, 3.0], rLo: 0.5, rHi: 2.5);
        Assert.True(double.IsNaN(partial[0]) && double.IsNaN(partial[2]));
        Assert.Equal(3.0, partial[1], 12);

        // Below the first r: an error unless the target starts in the core (g = 0).
        Assert.Contains("starts at r = 0.5", Assert.Throws<ArgumentException>(() => target.OnGrid(0, [0.3])).Message);
        var core = RdfTargetReader.ReadCsv(Write("core.csv", "0.5,0\n1.0,1\n"));
        Assert.Equal([0.0, 0.0, 0.5], core.OnGrid(0, [0.05, 0.5, 0.75]));
    }

    [Fact]
    public void ErrorsNameTheFileAndTheProblem()
    {
        var missing = Path.Combine(_dir, "nope.csv");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => RdfTargetReader.ReadCsv(missing)).Message);

        var columns = Write("columns.csv", "r,g\n0.1,0\n0.2,0.5,7\n");
        var e = Assert.Throws<FormatException>(() => RdfTargetReader.ReadCsv(columns));
        Assert.Contains($"{columns}:3", e.Message);
        Assert.Contains("found 3 columns, expected 2", e.Message);

        var empty = Write("empty.csv", "# nothing\n\n");
        Assert.Contains($"{empty}: no data rows", Assert.Throws<FormatException>(() => RdfTargetReader.ReadCsv(empty)).Message);
        var emptyLammps = Write("empty.lammps", "# Time-averaged data\n");
        Assert.Contains($"{emptyLammps}: no data blocks", Assert.Throws<FormatException>(() => RdfTargetReader.ReadLammps(emptyLammps)).Message);

        var order = Write("order.csv", "0.1,0\n0.3,1\n0.3,2\n");
        e = Assert.Throws<FormatException>(() => RdfTargetReader.ReadCsv(order));
        Assert.Contains($"{order}:3", e.Message);
        Assert.Contains("does not increase", e.Message);

        var text = Write("text.csv", "0.1,0\n0.2,abc\n");
        Assert.Contains($"{text}:2: column 2 (\"abc\")", Assert.Throws<FormatException>(() => RdfTargetReader.ReadCsv(text)).Message);

        var far = RdfTargetReader.ReadCsv(Write("far.csv", "0.5,0\n4.0,1\n"));
        var fits = Assert.Throws<ArgumentException>(() => far.CheckFits(Box.Cubic(6.0)));
        Assert.Contains("far.csv", fits.Message);
        Assert.Contains("half the box's shortest edge is 3", fits.Message);
        far.CheckFits(Box.Cubic(8.0));
        far.CheckFits(Box.Cubic(6.0), rUsed: 2.5);
        Assert.Contains("ends at r = 4", Assert.Throws<ArgumentException>(() => far.OnGrid(0, [4.5])).Message);

        var mix = RdfTargetReader.ReadCsv(Write("mix.csv", "r,g_A_A,g_A_B\n0.5,1,2\n"));
        var absent = Assert.Throws<ArgumentException>(() => mix.IndexOfPair("B", "B"));
        Assert.Contains("mix.csv", absent.Message);
        Assert.Contains("(B, B)", absent.Message);
        Assert.Contains("g_A_A, g_A_B", absent.Message);
        Assert.Contains("no partial \"g_C_C\"", Assert.Throws<ArgumentException>(() => mix.IndexOf("g_C_C")).Message);
        Assert.Contains("no partial number 3", Assert.Throws<ArgumentException>(() => mix.Partial(2)).Message);

        var truncated = Write("short.lammps", "# c\n100 3\n1 0.5 1 2\n2 1.0 1 2\n");
        Assert.Contains($"{truncated}:2: block at timestep 100 declares 3 rows but the file ends after 2",
            Assert.Throws<FormatException>(() => RdfTargetReader.ReadLammps(truncated)).Message);
        var odd = Write("odd.lammps", "100 2\n1 0.5 1\n2 1.0 1\n");
        Assert.Contains($"{odd}:2: found 3 columns", Assert.Throws<FormatException>(() => RdfTargetReader.ReadLammps(odd)).Message);
        var ragged = Write("ragged.lammps", "100 2\n1 0.5 1 2\n2 1.0 1 2 3 4\n");
        Assert.Contains($"{ragged}:3: found 6 columns, expected 4", Assert.Throws<FormatException>(() => RdfTargetReader.ReadLammps(ragged)).Message);
        var grids = Write("grids.lammps", "100 2\n1 0.5 1 2\n2 1.0 1 2\n200 2\n1 0.5 1 2\n2 1.1 1 2\n");
        RdfTargetReader.ReadLammps(grids); // the last block alone is fine
        Assert.Contains($"{grids}:6", Assert.Throws<FormatException>(() => RdfTargetReader.ReadLammps(grids, LammpsRdfBlocks.Average)).Message);
    }
}
