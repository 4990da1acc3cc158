using DiffSim.Adjoint;

namespace DiffSim.Tests.Adjoint;

/// <summary>Two windows' gradients equal within a relative tolerance: each parameter against itself, ∂L/∂x and ∂L/∂v_z against the largest |∂L/∂x|.</summary>
internal static class GradientAssert
{
    public static void Equal(WindowResult expected, WindowResult actual, double relative)
    {
        for (var p = 0; p < expected.ParameterGradient.Length; p++)
            Assert.Equal(expected.ParameterGradient[p], actual.ParameterGradient[p], relative * Math.Abs(expected.ParameterGradient[p]));
        var scale = expected.InitialStateGradient.X.Max(Math.Abs);
        for (var i = 0; i < expected.InitialStateGradient.Count; i++)
        {
            Assert.Equal(expected.InitialStateGradient.X[i], actual.InitialStateGradient.X[i], relative * scale);
            Assert.Equal(expected.InitialStateGradient.Vz[i], actual.InitialStateGradient.Vz[i], relative * scale);
        }
    }
}
