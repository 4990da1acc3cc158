namespace DiffSim.Training;

/// <summary>
/// What one IBI iteration measured with the potential u_i: per state point the RMS error of g against its
/// target, the mean pressure and g_ab itself ([state][pair][bin]); and the largest |Δu| of the update that
/// followed (0 after the last iteration).
/// </summary>
public sealed record IbiIteration(int Iteration, double[] RmsErrors, double[] Pressures, double[][][] Rdfs, double MaxCorrection, double Seconds);
