using System.Globalization;
using System.Text;
using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>
/// A text trajectory format: each frame is formatted into a buffer by <see cref="AppendFrame"/>, written whole and
/// flushed, so a run that stops leaves only complete frames.
/// </summary>
public abstract class TextTrajectoryWriter : ITrajectoryWriter
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly StringBuilder _sb = new();

    protected TextTrajectoryWriter(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    public int Frames { get; private set; }

    public void WriteFrame(State state)
    {
        AppendFrame(_sb.Clear(), state, CultureInfo.InvariantCulture);
        _writer.Write(_sb);
        _writer.Flush();
        Frames++;
    }

    /// <summary>Formats one frame.</summary>
    protected abstract void AppendFrame(StringBuilder sb, State state, CultureInfo inv);

    /// <summary>Wrapped position and velocity of particle i, space-separated, ending the line.</summary>
    protected static void AppendPositionVelocity(StringBuilder sb, State state, int i, CultureInfo inv)
    {
        var box = state.Box;
        sb.Append(inv, $"{Box.Wrap(state.X[i], box.Lx):R} {Box.Wrap(state.Y[i], box.Ly):R} {Box.Wrap(state.Z[i], box.Lz):R} ");
        sb.Append(inv, $"{state.Vx[i]:R} {state.Vy[i]:R} {state.Vz[i]:R}").AppendLine();
    }

    public void Dispose()
    {
        _writer.Flush();
        if (_ownsWriter) _writer.Dispose();
        GC.SuppressFinalize(this);
    }
}
