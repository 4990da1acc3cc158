using System.Globalization;
using System.Text;
using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>
/// A LAMMPS text dump (<c>dump custom ... id type x y z vx vy vz</c>), readable by OVITO, VMD and MDAnalysis:
/// per frame <c>ITEM: TIMESTEP</c>, <c>ITEM: NUMBER OF ATOMS</c>, <c>ITEM: BOX BOUNDS pp pp pp</c> and
/// <c>ITEM: ATOMS id type x y z vx vy vz</c>, with ids and types from 1 and positions wrapped into [0, L).
/// </summary>
public sealed class LammpsDumpWriter : TextTrajectoryWriter
{
    public LammpsDumpWriter(string path) : this(ThermoCsvWriter.OpenShared(path), ownsWriter: true) { }

    public LammpsDumpWriter(TextWriter writer, bool ownsWriter = false) : base(writer, ownsWriter) { }

    protected override void AppendFrame(StringBuilder sb, State state, CultureInfo inv)
    {
        var box = state.Box;
        sb.AppendLine("ITEM: TIMESTEP").AppendLine(state.Step.ToString(inv));
        sb.AppendLine("ITEM: NUMBER OF ATOMS").AppendLine(state.Count.ToString(inv));
        sb.AppendLine("ITEM: BOX BOUNDS pp pp pp");
        foreach (var l in (ReadOnlySpan<double>)[box.Lx, box.Ly, box.Lz])
            sb.Append("0 ").AppendLine(l.ToString("R", inv));
        sb.AppendLine("ITEM: ATOMS id type x y z vx vy vz");
        for (var i = 0; i < state.Count; i++)
        {
            sb.Append(inv, $"{i + 1} {state.TypeOf[i] + 1} ");
            AppendPositionVelocity(sb, state, i, inv);
        }
    }
}
