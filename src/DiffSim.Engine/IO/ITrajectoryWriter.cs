using DiffSim.Systems;

namespace DiffSim.IO;

/// <summary>Appends frames of a state to a trajectory file; each frame is flushed when written.</summary>
public interface ITrajectoryWriter : IDisposable
{
    /// <summary>Writes the current positions (wrapped into the box), velocities and types.</summary>
    void WriteFrame(State state);

    /// <summary>Frames written so far.</summary>
    int Frames { get; }
}
