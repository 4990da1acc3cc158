using DiffSim.Tests.Generators;
using Microsoft.CodeAnalysis;

namespace DiffSim.Tests.Cli;

/// <summary>A user's [PairPotential] in their own assembly, named from a config after <c>--load</c>.</summary>
public class UserPotentialPluginTests
{
    private const string Source = """
        using System;
        using DiffSim;

        namespace UserModels;

        /// <summary>A soft Gaussian-plus-core liquid, with a name for configs.</summary>
        [PairPotential(Name = "user-softcore")]
        public partial struct SoftCore
        {
            [Parameter] public double Epsilon;
            [Parameter] public double Sigma;

            public double Energy(double r) => Epsilon * Math.Pow(Sigma / r, 12) - 0.5 * Epsilon * Math.Exp(-(r - 1.5) * (r - 1.5) / 0.1);
        }
        """;

    [Fact]
    public void ConfigNamesAPotentialFromALoadedAssembly()
    {
        using var dir = new TempFolder();
        var result = GeneratorHarness.Run(Source);
        Assert.Empty(result.GeneratorDiagnostics);
        var dll = dir.File("UserModels.dll");
        var emit = result.Output.Emit(dll);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        var config = Cli.SmallConfig(equilibrate: 0, steps: 50)
            .Replace("kind = \"lj\"", "kind = \"user-softcore\"");
        Assert.Contains("user-softcore", config);
        var path = dir.Write("run.toml", config);

        var without = Cli.Run("simulate", path);
        Assert.Equal(2, without.ExitCode);
        Assert.Contains("user-softcore", without.Stderr);

        var with = Cli.Run("simulate", path, "--load", dll);
        Assert.True(with.ExitCode == 0, with.Stderr);
        Assert.Contains("user-softcore", with.Stdout);
        Assert.True(File.Exists(Path.Combine(dir.File("out"), "thermo.csv")));

        var missing = Cli.Run("simulate", path, "--load", dir.File("nothere.dll"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nothere.dll", missing.Stderr);
    }
}
