using DiffSim.Adjoint;
using DiffSim.Cli.Building;
using DiffSim.Cli.Config;

namespace DiffSim.Tests.Cli;

/// <summary><c>diffsim fit</c> with a neural-network pair potential ([potential] kind = "nn").</summary>
public class FitNeuralTests
{
    private static string Target => RepoPaths.Get("src", "DiffSim.Cli", "Examples", "lj-target.lammps");

    private static string Config(string kind, string init) => $$"""
        [system]
        lattice = "fcc"
        cells = [4, 4, 4]
        density = 0.3
        [potential]
        kind = "{{kind}}"
        cutoff = 2.5
        [potential.network]
        gaussians = 8
        width = 8
        depth = 1
        seed = 3
        [potential.prior]
        epsilon = 1.0
        sigma = 0.9
        [integrator]
        kind = "nose-hoover"
        tdamp = 0.5
        [[state]]
        name = "lj"
        temperature = 1.2
        target = "{{Target.Replace("\\", "/")}}"
        [model]
        init = "{{init}}"
        prefit_steps = 50
        [train]
        window = 20
        epochs = 3
        equilibrate = 100
        threads = 1
        evaluate_steps = 100
        [rdf]
        bins = 150
        rmax = 3.0
        loss_rmin = 0.8
        """;

    [Theory]
    [InlineData("nn", "config")]
    [InlineData("nn", "boltzmann")]
    [InlineData("nn-temperature", "config")]
    public void NetworkFitRunsAndExportsItsPotential(string kind, string init)
    {
        using var dir = new TempFolder();
        // u(r; T) needs two temperatures to learn its entropy part from (one is refused).
        var config = kind == "nn-temperature"
            ? Config(kind, init).Replace("[model]", $"[[state]]\nname = \"cold\"\ntemperature = 0.9\ntarget = \"{Target.Replace("\\", "/")}\"\n[model]")
            : Config(kind, init);
        var run = Cli.Run("fit", dir.Write("fit.toml", config), "-o", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("network parameters", run.Stdout);

        var train = File.ReadAllLines(Path.Combine(dir.File("out"), "train.csv"));
        Assert.Equal(kind == "nn-temperature" ? "epoch,loss_lj,loss_cold,total,grad_norm,learning_rate" : "epoch,loss_lj,total,grad_norm,learning_rate", train[0]);
        Assert.Equal(4, train.Length);
        var gradNorm = double.Parse(train[1].Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(gradNorm > 0 && double.IsFinite(gradNorm), $"gradient norm {gradNorm}");

        // The exported table is finite and repulsive at short range (the prior).
        var potential = File.ReadAllLines(Path.Combine(dir.File("out"), "potential.csv")).Skip(2)
            .Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.All(potential, row => Assert.True(double.IsFinite(row[1]) && double.IsFinite(row[2])));
        Assert.True(potential[0][1] > 1.0, $"u({potential[0][0]}) = {potential[0][1]}");
    }

    [Fact]
    public void TemperatureModelExportsThePotentialOfEveryStatePoint()
    {
        using var dir = new TempFolder();
        var second = $"[[state]]\nname = \"cold\"\ntemperature = 0.9\ntarget = \"{Target.Replace("\\", "/")}\"\n[model]";
        var config = Config("nn-temperature", "config").Replace("name = \"lj\"", "name = \"hot\"").Replace("[model]", second);
        var run = Cli.Run("fit", dir.Write("fit.toml", config), "-o", dir.File("out"));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        string[] Read(string name) => File.ReadAllLines(Path.Combine(dir.File("out"), name));
        // The first state's u(r; T) is also potential.csv; the entropy term makes the two temperatures differ.
        Assert.Equal(Read("potential.csv"), Read("potential_hot.csv"));
        Assert.Equal(Read("potential.table"), Read("potential_hot.table"));
        Assert.NotEqual(Read("potential_hot.csv"), Read("potential_cold.csv"));
        Assert.Contains("A_A", Read("potential_cold.table"));

        using var plain = new TempFolder();
        Assert.Equal(0, Cli.Run("fit", plain.Write("fit.toml", Config("nn", "config")), "-o", plain.File("out")).ExitCode);
        Assert.False(File.Exists(Path.Combine(plain.File("out"), "potential_lj.csv")));
    }

    [Fact]
    public void TemperatureModelIsReducedByTheStatesMeanTemperatureOrTheConfiguredOne()
    {
        using var dir = new TempFolder();
        // Two state points at T = 1.0 and 1.4: T₀ defaults to their mean 1.2, so N_S enters u with w = (T − 1.2)/1.2.
        var hot = $"[[state]]\nname = \"hot\"\ntemperature = 1.4\ntarget = \"{Target.Replace("\\", "/")}\"\n[model]\n";
        var twoStates = Config("nn-temperature", "config").Replace("temperature = 1.2", "temperature = 1.0").Replace("[model]\n", hot);
        double[] Weights(string text)
        {
            var fit = FitBuilder.Build(FitConfig.Load(dir.Write("fit.toml", text)));
            return fit.States.Select(s => ((NeuralPairField)s.Point.Field).Model(0, 0).EntropyWeight).ToArray();
        }
        var byMean = Weights(twoStates);
        Assert.Equal(2, byMean.Length);
        Assert.Equal(-0.2 / 1.2, byMean[0], 12);
        Assert.Equal(0.2 / 1.2, byMean[1], 12);
        var byKey = Weights(twoStates.Replace("seed = 3", "seed = 3\nreference_temperature = 1.0"));
        Assert.Equal(0.0, byKey[0], 12);
        Assert.Equal(0.4, byKey[1], 12);

        // A plain network has no temperature part to reduce.
        var run = Cli.Run("fit", dir.Write("nn.toml", Config("nn", "config").Replace("seed = 3", "seed = 3\nreference_temperature = 1.0")));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("reference_temperature", run.Stderr);
    }

    [Fact]
    public void SimulateRefusesAModelItCannotRun()
    {
        using var dir = new TempFolder();
        // A valid nn [potential] (no pairs): simulate must refuse the untrained model and point at the exported table.
        var config = Cli.SmallConfig().Replace("kind = \"lj\"", "kind = \"nn\"")
            .Replace("[[potential.pairs]]\ntypes = [\"A\", \"A\"]\nepsilon = 1.0\nsigma = 1.0\n", "");
        Assert.DoesNotContain("[[potential.pairs]]", config);
        var run = Cli.Run("simulate", dir.Write("run.toml", config));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("potential.table", run.Stderr);

        // With pairs it is a bad config of another kind: every pair's network is learned.
        var withPairs = Cli.Run("simulate", dir.Write("pairs.toml", Cli.SmallConfig().Replace("kind = \"lj\"", "kind = \"nn\"")));
        Assert.Equal(2, withPairs.ExitCode);
        Assert.Contains("[[potential.pairs]]", withPairs.Stderr);
    }

    [Theory]
    [InlineData("seed = 3", "seed = 3\ngrid_spacing = 1.0", "[potential.network].grid_spacing", "between cutoff/100000 and cutoff/20")]
    [InlineData("seed = 3", "seed = 3\ngrid_spacing = 1e-6", "[potential.network].grid_spacing", "between cutoff/100000 and cutoff/20")]
    [InlineData("seed = 3", "seed = 3\nswitch_on = 2.5", "[potential.network].switch_on", "below the cutoff")]
    [InlineData("depth = 1", "depth = 0", "[potential.network].depth", "between 1 and 100")]
    [InlineData("gaussians = 8", "gaussians = 1", "[potential.network].gaussians", "between 2 and 10000")]
    [InlineData("[model]", "[model]\nfree = [\"epsilon\"]", "[model].free", "a network's weights")]
    public void ImpossibleNetworkSettingsAreNamed(string from, string to, string key, string message)
    {
        using var dir = new TempFolder();
        var run = Cli.FitWith(dir, Config("nn", "config"), from, to);
        Cli.AssertConfigError(run, message);
        Assert.StartsWith($"error: {key}", run.Stderr);
        Assert.True(run.Stderr.Length < 400, run.Stderr);
    }

    [Fact]
    public void ATemperatureModelAtOneTemperatureIsRefused()
    {
        using var dir = new TempFolder();
        var run = Cli.Run("fit", dir.Write("fit.toml", Config("nn-temperature", "config")), "-o", dir.File("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("every state point is at T = 1.2", run.Stderr);
    }
}
