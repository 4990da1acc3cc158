using DiffSim.Potentials;

namespace DiffSim.Tests.Engine;

/// <summary>The registry that configs find potentials in by name.</summary>
public class PotentialCatalogTests
{
    [Fact]
    public void ANameTwoPotentialsRegisterIsRefusedNamingBothAndTheSameOneAgainChangesNothing()
    {
        PotentialCatalog.Register<LennardJones>("lj");
        Assert.Equal(["epsilon", "sigma"], PotentialCatalog.Find("lj").ParameterNames);

        PotentialCatalog.Register<LennardJones>("catalog-test-clash");
        PotentialCatalog.Register<Morse>("catalog-test-clash");
        var e = Assert.Throws<ArgumentException>(() => PotentialCatalog.Find("catalog-test-clash"));
        Assert.Contains("DiffSim.Potentials.LennardJones and DiffSim.Potentials.Morse", e.Message);
    }
}
