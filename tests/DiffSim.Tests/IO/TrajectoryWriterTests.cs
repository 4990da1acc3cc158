using System.Globalization;
using DiffSim.IO;
using DiffSim.Systems;
using DiffSim.Tests.Engine;

namespace DiffSim.Tests.IO;

public sealed class TrajectoryWriterTests
{
    private static State TwoTypeState()
    {
        var state = TestSystems.LjFcc(2, 0.8442, 1.0);
        var typed = new State(state.Box, [new ParticleType("Ar", 39.948), new ParticleType("Kr", 83.798)],
            Enumerable.Range(0, state.Count).Select(i => i % 2).ToArray(), UnitSystem.Lj);
        state.CopyTo(typed);
        // Some particles outside the primary box, as between list builds.
        typed.X[0] -= 0.25;
        typed.Z[3] += typed.Box.Lz;
        typed.Step = 42;
        return typed;
    }

    private static double P(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void LammpsDumpReadsBackPositionsVelocitiesAndTypes()
    {
        var state = TwoTypeState();
        var text = new StringWriter();
        using (var writer = new LammpsDumpWriter(text))
        {
            writer.WriteFrame(state);
            state.Step = 43;
            writer.WriteFrame(state);
            Assert.Equal(2, writer.Frames);
        }
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var n = state.Count;
        Assert.Equal(2 * (9 + n), lines.Length);
        Assert.Equal("ITEM: TIMESTEP", lines[0]);
        Assert.Equal("42", lines[1]);
        Assert.Equal("ITEM: NUMBER OF ATOMS", lines[2]);
        Assert.Equal(n, int.Parse(lines[3], CultureInfo.InvariantCulture));
        Assert.Equal("ITEM: BOX BOUNDS pp pp pp", lines[4]);
        var bounds = lines[5].Split(' ');
        Assert.Equal(0.0, P(bounds[0]));
        Assert.Equal(state.Box.Lx, P(bounds[1]));
        Assert.Equal("ITEM: ATOMS id type x y z vx vy vz", lines[8]);
        for (var i = 0; i < n; i++)
        {
            var f = lines[9 + i].Split(' ');
            Assert.Equal(8, f.Length);
            Assert.Equal(i + 1, int.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(state.TypeOf[i] + 1, int.Parse(f[1], CultureInfo.InvariantCulture));
            Assert.Equal(Box.Wrap(state.X[i], state.Box.Lx), P(f[2]));
            Assert.Equal(Box.Wrap(state.Y[i], state.Box.Ly), P(f[3]));
            Assert.Equal(Box.Wrap(state.Z[i], state.Box.Lz), P(f[4]));
            Assert.InRange(P(f[2]), 0, state.Box.Lx);
            Assert.Equal(state.Vx[i], P(f[5]));
            Assert.Equal(state.Vz[i], P(f[7]));
        }
        Assert.Equal("43", lines[9 + n + 1]);
    }

    [Fact]
    public void ExtendedXyzReadsBackLatticeSpeciesAndPositions()
    {
        var state = TwoTypeState();
        var text = new StringWriter();
        using (var writer = new ExtendedXyzWriter(text)) writer.WriteFrame(state);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(state.Count + 2, lines.Length);
        Assert.Equal(state.Count, int.Parse(lines[0], CultureInfo.InvariantCulture));

        var comment = lines[1];
        var lattice = comment[(comment.IndexOf("Lattice=\"", StringComparison.Ordinal) + 9)..];
        var cell = lattice[..lattice.IndexOf('"')].Split(' ').Select(P).ToArray();
        Assert.Equal([state.Box.Lx, 0, 0, 0, state.Box.Ly, 0, 0, 0, state.Box.Lz], cell);
        Assert.Contains("Properties=species:S:1:pos:R:3:velo:R:3", comment);
        Assert.Contains("Step=42", comment);

        for (var i = 0; i < state.Count; i++)
        {
            var f = lines[2 + i].Split(' ');
            Assert.Equal(7, f.Length);
            Assert.Equal(state.Types[state.TypeOf[i]].Name, f[0]);
            Assert.Equal(Box.Wrap(state.X[i], state.Box.Lx), P(f[1]));
            Assert.Equal(Box.Wrap(state.Y[i], state.Box.Ly), P(f[2]));
            Assert.Equal(Box.Wrap(state.Z[i], state.Box.Lz), P(f[3]));
            Assert.Equal(state.Vy[i], P(f[5]));
        }
    }

    [Fact]
    public void FileWritersCanBeReadWhileOpen()
    {
        var path = Path.Combine(Path.GetTempPath(), $"diffsim-io-{Guid.NewGuid():N}.lammpstrj");
        try
        {
            var state = TwoTypeState();
            using var writer = new LammpsDumpWriter(path);
            writer.WriteFrame(state);
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            Assert.StartsWith("ITEM: TIMESTEP", reader.ReadToEnd());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
