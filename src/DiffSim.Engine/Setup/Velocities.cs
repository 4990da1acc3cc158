using DiffSim.Numerics;
using DiffSim.Systems;

namespace DiffSim.Setup;

/// <summary>Initial velocities.</summary>
public static class Velocities
{
    /// <summary>
    /// Maxwell–Boltzmann velocities at <paramref name="temperature"/>, reproducible from <paramref name="seed"/>:
    /// each component normal with variance k_B T / m, then the centre-of-mass velocity removed and the velocities
    /// rescaled so that the instantaneous temperature (3N − 3 degrees of freedom) is exactly the target.
    /// </summary>
    public static void Initialise(State state, double temperature, ulong seed)
    {
        if (!(temperature >= 0) || double.IsInfinity(temperature)) throw new ArgumentException($"temperature must be non-negative, got {temperature}");
        var rng = new CounterRandom(seed);
        var units = state.Units;
        for (var i = 0; i < state.Count; i++)
        {
            var s = Math.Sqrt(units.Boltzmann * Math.Max(temperature, 1e-300) / (state.Mass[i] * units.MvvToEnergy));
            state.Vx[i] = s * rng.Normal(10, (ulong)(3 * i));
            state.Vy[i] = s * rng.Normal(10, (ulong)(3 * i + 1));
            state.Vz[i] = s * rng.Normal(10, (ulong)(3 * i + 2));
        }
        RemoveDrift(state);
        var current = state.Temperature();
        var scale = current > 0 ? Math.Sqrt(temperature / current) : 0.0;
        for (var i = 0; i < state.Count; i++)
        {
            state.Vx[i] *= scale; state.Vy[i] *= scale; state.Vz[i] *= scale;
        }
    }

    /// <summary>Removes the centre-of-mass velocity.</summary>
    public static void RemoveDrift(State state)
    {
        double px = 0, py = 0, pz = 0, m = 0;
        for (var i = 0; i < state.Count; i++)
        {
            px += state.Mass[i] * state.Vx[i]; py += state.Mass[i] * state.Vy[i]; pz += state.Mass[i] * state.Vz[i];
            m += state.Mass[i];
        }
        px /= m; py /= m; pz /= m;
        for (var i = 0; i < state.Count; i++)
        {
            state.Vx[i] -= px; state.Vy[i] -= py; state.Vz[i] -= pz;
        }
    }
}
