using DiffSim.Observables;
using DiffSim.Systems;

namespace DiffSim.Adjoint;

/// <summary>
/// A force field whose reverse pass can build its half list from an RDF frame's pairs (<see cref="IFramePairSource"/>)
/// instead of searching: the window's reverse pass offers the pairs of the frame nearest the states to come, once a
/// frame, before the field's next <see cref="IDifferentiableForceField.Backward"/>.
/// </summary>
internal interface IFramePairUser
{
    /// <summary>
    /// Offers pairs found at <paramref name="frameState"/>. The field builds its list from them at its next pair pass
    /// if they reach its range; that list, referenced to the frame's positions, then serves a state as long as the
    /// displacement rule allows, as any list does. <paramref name="served"/>, when known, are the states the list is
    /// to serve: it then reaches no further than they need (<see cref="Neighbours.HalfPairList.ServedSkin"/>).
    /// </summary>
    void OfferFramePairs(PairSearch pairs, State frameState, IReadOnlyList<State>? served);
}
