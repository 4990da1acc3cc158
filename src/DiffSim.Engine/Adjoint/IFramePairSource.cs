using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// An observable that keeps each frame's pair search, so that the reverse pass can build its half list from those
/// pairs (<see cref="IFramePairUser"/>) instead of searching again.
/// </summary>
internal interface IFramePairSource
{
    /// <summary>The pairs found at frame <paramref name="frame"/> (whose state is <paramref name="state"/>) if they are still held; null otherwise. The user checks that they are that state's.</summary>
    PairSearch? FramePairs(int frame, State state);
}
