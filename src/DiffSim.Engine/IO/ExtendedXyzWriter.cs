using System.Globalization;
using System.Text;
using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>
/// Extended XYZ: per frame the atom count, a comment line
/// <c>Lattice="Lx 0 0 0 Ly 0 0 0 Lz" Properties=species:S:1:pos:R:3:velo:R:3 pbc="T T T" Step=n</c>,
/// then one line per atom with its type name, wrapped position and velocity.
/// </summary>
/// <remarks>
/// The column names are libAtoms' (QUIP), which OVITO maps to its particle types, positions and velocities. ASE reads
/// the species as chemical symbols, so it reads these files only where every type is named as an element (Ar, not A),
/// and keeps the velocities as the array "velo" (its own velocities come from momenta); the LAMMPS dump serves any names.
/// </remarks>
public sealed class ExtendedXyzWriter : TextTrajectoryWriter
{
    public ExtendedXyzWriter(string path) : this(ThermoCsvWriter.OpenShared(path), ownsWriter: true) { }

    public ExtendedXyzWriter(TextWriter writer, bool ownsWriter = false) : base(writer, ownsWriter) { }

    protected override void AppendFrame(StringBuilder sb, State state, CultureInfo inv)
    {
        var box = state.Box;
        sb.AppendLine(state.Count.ToString(inv));
        sb.Append(inv, $"Lattice=\"{box.Lx:R} 0 0 0 {box.Ly:R} 0 0 0 {box.Lz:R}\" Properties=species:S:1:pos:R:3:velo:R:3 pbc=\"T T T\" Step={state.Step}");
        sb.AppendLine();
        for (var i = 0; i < state.Count; i++)
        {
            sb.Append(state.Types[state.TypeOf[i]].Name).Append(' ');
            AppendPositionVelocity(sb, state, i, inv);
        }
    }
}
