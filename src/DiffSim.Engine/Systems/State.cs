using System.Runtime.Intrinsics;
using static DiffSim.Numerics.DoubleLanes;

namespace DiffSim.Systems;

/// <summary>
/// The dynamical state of a system of point particles: structure-of-arrays positions, velocities and forces in double,
/// per-particle types, the box and the thermostat's extra variables. Plain data, so that the reverse pass can save
/// and restore it cheaply (<see cref="CopyTo"/>).
/// </summary>
public sealed class State
{
    public State(Box box, IReadOnlyList<ParticleType> types, int[] typeOf, UnitSystem units)
    {
        if (types.Count == 0) throw new ArgumentException("at least one particle type is needed");
        Box = box;
        Types = types;
        TypeOf = typeOf;
        Units = units;
        var n = typeOf.Length;
        X = new double[n]; Y = new double[n]; Z = new double[n];
        Vx = new double[n]; Vy = new double[n]; Vz = new double[n];
        Fx = new double[n]; Fy = new double[n]; Fz = new double[n];
        Mass = new double[n];
        for (var i = 0; i < n; i++)
        {
            if ((uint)typeOf[i] >= (uint)types.Count) throw new ArgumentException($"particle {i} has type index {typeOf[i]} but only {types.Count} types exist");
            Mass[i] = types[typeOf[i]].Mass;
        }
    }

    public Box Box { get; set; }
    public IReadOnlyList<ParticleType> Types { get; }
    public UnitSystem Units { get; }

    /// <summary>Type index of each particle into <see cref="Types"/>.</summary>
    public int[] TypeOf { get; }

    /// <summary>Mass of each particle, copied from its type for the integrators' loops.</summary>
    public double[] Mass { get; }

    public double[] X { get; }
    public double[] Y { get; }
    public double[] Z { get; }
    public double[] Vx { get; }
    public double[] Vy { get; }
    public double[] Vz { get; }
    public double[] Fx { get; }
    public double[] Fy { get; }
    public double[] Fz { get; }

    /// <summary>Thermostat variables (positions then velocities of a Nosé–Hoover chain, or the Langevin heat); sized by the integrator.</summary>
    public double[] Thermostat { get; set; } = [];

    /// <summary>Steps taken since the start of the run.</summary>
    public long Step { get; set; }

    public int Count => TypeOf.Length;

    /// <summary>Degrees of freedom for the temperature: 3N − 3, total momentum being conserved and removed at start.</summary>
    public int DegreesOfFreedom => Math.Max(3 * Count - 3, 1);

    public int CountOfType(int type)
    {
        var c = 0;
        foreach (var t in TypeOf) if (t == type) c++;
        return c;
    }

    /// <summary>Kinetic energy Σ ½ m v² in energy units.</summary>
    /// <remarks>
    /// Four particles a vector with one running sum per lane, so the sum is not one chain of dependent additions (a
    /// Nosé–Hoover step and its adjoint take it several times); the lanes are added at the end, then the remainder.
    /// </remarks>
    public double KineticEnergy()
    {
        var n = Count;
        var i = 0;
        var sum = 0.0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var m = ref Data(Mass);
            ref double vx = ref Data(Vx), vy = ref Data(Vy), vz = ref Data(Vz);
            var lanes = Vector256<double>.Zero;
            for (; i + Vector256<double>.Count <= n; i += Vector256<double>.Count)
            {
                var (x, y, z) = (Load(ref vx, i), Load(ref vy, i), Load(ref vz, i));
                lanes += Load(ref m, i) * (x * x + y * y + z * z);
            }
            sum = Vector256.Sum(lanes);
        }
        for (; i < n; i++) sum += Mass[i] * (Vx[i] * Vx[i] + Vy[i] * Vy[i] + Vz[i] * Vz[i]);
        return 0.5 * sum * Units.MvvToEnergy;
    }

    /// <summary>Instantaneous temperature 2 KE / (dof k_B).</summary>
    public double Temperature() => 2 * KineticEnergy() / (DegreesOfFreedom * Units.Boltzmann);

    /// <summary>Copies every dynamical array into <paramref name="target"/>, which must describe the same particles.</summary>
    public void CopyTo(State target)
    {
        if (target.Count != Count) throw new ArgumentException("states differ in particle count");
        target.Box = Box;
        target.Step = Step;
        X.CopyTo(target.X); Y.CopyTo(target.Y); Z.CopyTo(target.Z);
        Vx.CopyTo(target.Vx); Vy.CopyTo(target.Vy); Vz.CopyTo(target.Vz);
        Fx.CopyTo(target.Fx); Fy.CopyTo(target.Fy); Fz.CopyTo(target.Fz);
        if (target.Thermostat.Length != Thermostat.Length) target.Thermostat = new double[Thermostat.Length];
        Thermostat.CopyTo(target.Thermostat, 0);
    }

    /// <summary>
    /// A copy of the dynamical arrays that shares the particles' types and masses, which do not change: a window's
    /// stored states, clones of one, then read one mass array, which stays in cache, instead of one each.
    /// </summary>
    public State Clone()
    {
        var copy = new State(this);
        CopyTo(copy);
        return copy;
    }

    private State(State template)
    {
        (Box, Types, TypeOf, Units, Mass) = (template.Box, template.Types, template.TypeOf, template.Units, template.Mass);
        var n = TypeOf.Length;
        X = new double[n]; Y = new double[n]; Z = new double[n];
        Vx = new double[n]; Vy = new double[n]; Vz = new double[n];
        Fx = new double[n]; Fy = new double[n]; Fz = new double[n];
    }

    /// <summary>Maps every position into the primary box [0, L).</summary>
    public void WrapPositions()
    {
        var b = Box;
        Wrap(X, b.Lx);
        Wrap(Y, b.Ly);
        Wrap(Z, b.Lz);
    }

    /// <summary><see cref="Box.Wrap(double, double)"/> of every element, four at a time (the same bits): a division each, which the scalar loop waited on one at a time.</summary>
    private static void Wrap(double[] a, double l)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var lv = Vector256.Create(l);
            ref var r = ref Data(a);
            for (; i + Vector256<double>.Count <= a.Length; i += Vector256<double>.Count) Store(Box.Wrap(Load(ref r, i), lv), ref r, i);
        }
        for (; i < a.Length; i++) a[i] = Box.Wrap(a[i], l);
    }

    /// <summary>Bytes held by this state's arrays.</summary>
    public long Bytes => (long)Count * (10 * sizeof(double) + sizeof(int)) + Thermostat.Length * sizeof(double);
}
