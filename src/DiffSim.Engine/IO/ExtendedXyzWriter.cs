using System.Globalization;
using System.Text;
using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>
/// Extended XYZ (as ASE and OVITO read it): per frame the atom count, a comment line
/// <c>Lattice="Lx 0 0 0 Ly 0 0 0 Lz" Properties=species:S:1:pos:R:3:vel:R:3 pbc="T T T" Step=n</c>,
/// then one line per atom with its type name, wrapped position and velocity.
/// </summary>
public sealed class ExtendedXyzWriter : ITrajectoryWriter
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly StringBuilder _sb = new();

    public ExtendedXyzWriter(string path) : this(ThermoCsvWriter.OpenShared(path), ownsWriter: true) { }

    public ExtendedXyzWriter(TextWriter writer, bool ownsWriter = false)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    public int Frames { get; private set; }

    public void WriteFrame(State state)
    {
        var inv = CultureInfo.InvariantCulture;
        var box = state.Box;
        var sb = _sb.Clear();
        sb.AppendLine(state.Count.ToString(inv));
        sb.Append(inv, $"Lattice=\"{box.Lx:R} 0 0 0 {box.Ly:R} 0 0 0 {box.Lz:R}\" Properties=species:S:1:pos:R:3:vel:R:3 pbc=\"T T T\" Step={state.Step}");
        sb.AppendLine();
        for (var i = 0; i < state.Count; i++)
        {
            sb.Append(state.Types[state.TypeOf[i]].Name).Append(' ');
            sb.Append(inv, $"{Box.Wrap(state.X[i], box.Lx):R} {Box.Wrap(state.Y[i], box.Ly):R} {Box.Wrap(state.Z[i], box.Lz):R} ");
            sb.Append(inv, $"{state.Vx[i]:R} {state.Vy[i]:R} {state.Vz[i]:R}").AppendLine();
        }
        _writer.Write(sb);
        _writer.Flush();
        Frames++;
    }

    public void Dispose()
    {
        _writer.Flush();
        if (_ownsWriter) _writer.Dispose();
    }
}
