using DiffSim.Forces;
using DiffSim.Integrators;
using DiffSim.Potentials;
using DiffSim.Setup;
using DiffSim.Systems;

namespace DiffSim.Tests.Engine;

/// <summary>
/// units = "real" against LAMMPS at step 0 (reference/lammps/real-units: liquid argon, 500 atoms, 0.0213 Å⁻³, LJ cut at
/// 8.5 Å, 190 K): the energies per atom in kcal/mol and the pressure in atm to LAMMPS' ten printed digits, which
/// checks k_B, the energy and mass conversions and atm at once. (Equilibrium averages in real units agreed with
/// LAMMPS within their errors as well: argon at 94.4 K and an Ar–Kr mixture, 100–500 ps; not kept as a test.)
/// </summary>
public class RealUnitsParityTests
{
    [Theory]
    [InlineData(false, -1.605778674, 0.5652212017, -1.040557472, -2031.372413)]
    [InlineData(true, -1.499957164, 0.5652212017, -0.9347359626, -2031.372413)]
    public void LiquidArgonAtStepZeroMatchesLammpsToItsPrintedDigits(bool shift, double pe, double ke, double etotal, double pressure)
    {
        var state = InitialState.OnLattice(LatticeKind.Fcc, 5, 5, 5, density: 0.0213, [new ParticleType("Ar", 39.948)], [1.0],
            UnitSystem.Real, temperature: 190, seed: 3);
        var table = PairTable<LennardJones>.Single(new LennardJones(0.2381, 3.405), 8.5, shift);
        var sim = new Simulation(state, new PairForceField<LennardJones>(table, skin: 2.0), new NoseHooverChain(5.0, 190, 100.0));
        var thermo = sim.Thermo();
        Assert.Equal(190.0, thermo.Temperature, 1e-9);
        Assert.Equal(pe, thermo.PotentialEnergy, 6e-10);
        Assert.Equal(ke, thermo.KineticEnergy, 6e-11);
        Assert.Equal(etotal, thermo.TotalEnergy, 6e-10);
        Assert.Equal(pressure, thermo.Pressure, 6e-7);
    }
}
