using System.Globalization;
using System.Text.Json;
using DiffSim.Forces;
using DiffSim.IO;
using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Tests.IO;

public sealed class ThermoAndSummaryWriterTests
{
    [Fact]
    public void ThermoRowsAreOnDiskAsSoonAsTheyAreWritten()
    {
        var path = Path.Combine(Path.GetTempPath(), $"diffsim-thermo-{Guid.NewGuid():N}.csv");
        try
        {
            using var writer = new ThermoCsvWriter(path, UnitSystem.Real);
            writer.Write(new ThermoSample(0, 300.0, -1.5, 0.9, -0.6, 1.0, -0.6));
            writer.Write(new ThermoSample(10, 301.5, -1.25, 0.875, -0.375, 2.5, -0.5));
            // Read while the writer is still open, as a user following a running job would.
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length);
            Assert.Contains("kcal/mol", lines[0]);
            Assert.Contains("atm", lines[0]);
            Assert.Equal("step,temperature,pe,ke,etotal,pressure,conserved", lines[1]);
            Assert.Equal([10, 301.5, -1.25, 0.875, -0.375, 2.5, -0.5], lines[3].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
            Assert.Equal(2, writer.Rows);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RdfCsvNamesEveryPairOnce()
    {
        var path = Path.Combine(Path.GetTempPath(), $"diffsim-rdf-{Guid.NewGuid():N}.csv");
        try
        {
            RdfCsvWriter.Write(path, [0.5, 1.5], [("g_A_A", [0.0, 1.0]), ("g_A_B", [0.0, 2.0]), ("g_B_B", [0.0, 3.0]), ("target_A_A", [double.NaN, 0.5])], "test");
            var lines = File.ReadAllLines(path);
            Assert.Equal("# test", lines[0]);
            Assert.Equal("r,g_A_A,g_A_B,g_B_B,target_A_A", lines[1]);
            // A target beyond its file's range is left empty, as fit and ibi write it.
            Assert.Equal("0.5,0,0,0,", lines[2]);
            Assert.Equal("1.5,1,2,3,0.5", lines[3]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SummaryJsonWritesNonFiniteAsNullAndUnitsAsText()
    {
        var summary = new RunSummary
        {
            Status = "completed",
            Units = UnitSystem.Lj,
            Atoms = 10,
            Types = [("A", 10, 1.0)],
            Box = Box.Cubic(3),
            TimeStep = 0.005,
            EquilibrationSteps = 1,
            ProductionSteps = 2,
            StepsCompleted = 3,
            ThermoEvery = 1,
            WallSeconds = 0.5,
            AtomStepsPerSecond = 60,
            ListBuilds = 1,
            Precision = Precision.Float,
            Threads = 2,
            KernelPath = KernelPath.Scalar,
            Averages = [new ThermoAverage("pe", "ε/particle", -5.0, double.NaN, 1)],
            Info = [("config", "x.toml")],
        };
        using var stream = new MemoryStream();
        SummaryJsonWriter.Write(stream, summary);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var root = doc.RootElement;
        Assert.Equal("σ", root.GetProperty("units").GetProperty("length").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("averages").GetProperty("pe").GetProperty("stderr").ValueKind);
        Assert.Equal(-5.0, root.GetProperty("averages").GetProperty("pe").GetProperty("mean").GetDouble());
        Assert.Equal("float", root.GetProperty("precision").GetString());
        Assert.Equal("scalar", root.GetProperty("kernel_path").GetString());
        Assert.Equal(10.0 / 27, root.GetProperty("density").GetDouble(), 12);
        Assert.Equal("x.toml", root.GetProperty("info").GetProperty("config").GetString());
        Assert.Contains("\"σ\"", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
