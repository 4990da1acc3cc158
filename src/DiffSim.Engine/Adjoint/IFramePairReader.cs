namespace DiffSim.Adjoint;

/// <summary>
/// An observable that reads a frame's pairs from another observable of the window (<see cref="IFramePairSource"/>)
/// when that one holds them at a long enough range, instead of searching itself: the window hands it the first source
/// among its observables before the forward pass.
/// </summary>
internal interface IFramePairReader
{
    /// <summary>Reads the frames' pairs from <paramref name="source"/> from now on; null: searches for itself.</summary>
    void ReadPairsFrom(IFramePairSource? source);
}
