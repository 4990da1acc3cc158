using DiffSim.Potentials;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace DiffSim.Tests.Generators;

/// <summary>The GPU-ready forms go through ILGPU's compiler (here onto its CPU accelerator, which needs no GPU) and agree with the CPU forms.</summary>
public sealed class GpuFormTests
{
    private static void LennardJonesKernel(Index1D i, ArrayView<float> r2, ArrayView<float> energy, ArrayView<float> force, float epsilon, float sigma)
    {
        LennardJones.EvaluateGpu(r2[i], epsilon, sigma, out var u, out var phi);
        energy[i] = u;
        force[i] = phi;
    }

    private static void BuckinghamKernel(Index1D i, ArrayView<float> r2, ArrayView<float> energy, ArrayView<float> force, float a, float rho, float c)
    {
        energy[i] = Buckingham.EnergyGpu(r2[i], a, rho, c);
        force[i] = Buckingham.ForceOverRGpu(r2[i], a, rho, c);
    }

    [Fact]
    public void Ilgpu_compiles_and_runs_the_gpu_forms()
    {
        using var context = Context.Create(builder => builder.CPU());
        using var accelerator = context.CreateCPUAccelerator(0);
        var r2 = Enumerable.Range(0, 64).Select(i => (float)Math.Pow(0.9 + 0.03 * i, 2)).ToArray();
        using var input = accelerator.Allocate1D(r2);
        using var energy = accelerator.Allocate1D<float>(r2.Length);
        using var force = accelerator.Allocate1D<float>(r2.Length);

        var lj = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float>(LennardJonesKernel);
        lj(r2.Length, input.View, energy.View, force.View, 1.2f, 0.95f);
        accelerator.Synchronize();
        var (e, f) = (energy.GetAsArray1D(), force.GetAsArray1D());
        var reference = new LennardJones(1.2, 0.95);
        for (var i = 0; i < r2.Length; i++)
        {
            reference.Evaluate((double)r2[i], out double u, out double phi);
            Assert.Equal(u, e[i], 1e-5 * Math.Max(Math.Abs(u), 1));
            Assert.Equal(phi, f[i], 1e-5 * Math.Max(Math.Abs(phi), 1));
        }

        var buck = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float>(BuckinghamKernel);
        buck(r2.Length, input.View, energy.View, force.View, 1000f, 0.3f, 2f);
        accelerator.Synchronize();
        (e, f) = (energy.GetAsArray1D(), force.GetAsArray1D());
        var b = new Buckingham(1000, 0.3, 2);
        for (var i = 0; i < r2.Length; i++)
        {
            b.Evaluate((double)r2[i], out double u, out double phi);
            Assert.Equal(u, e[i], 1e-5 * Math.Max(Math.Abs(u), 1));
            Assert.Equal(phi, f[i], 1e-5 * Math.Max(Math.Abs(phi), 1));
        }
    }

    /// <summary>
    /// Compiles the LJ kernel to PTX for sm_70 without a GPU: the GPU form is accepted by ILGPU's PTX backend and
    /// stays in single precision. (Forms that call MathF.Exp/Log need ILGPU.Algorithms' EnableAlgorithms() in the
    /// CUDA backend's context; checked by hand for Buckingham.)
    /// </summary>
    [Fact]
    public void Lennard_jones_gpu_form_compiles_to_single_precision_ptx()
    {
        using var context = Context.Create(builder => builder.Cuda().Math(MathMode.Fast32BitOnly));
        var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_70), CudaArchitecture.SM_70, CudaInstructionSet.ISA_70, null!);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(typeof(GpuFormTests).GetMethod(nameof(LennardJonesKernel), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!);
        var ptx = ((PTXCompiledKernel)backend.Compile(entry, new KernelSpecialization())).PTXAssembly;
        Assert.Contains(".entry", ptx);
        Assert.DoesNotMatch(new Regex(@"\.f64"), ptx);
        Assert.DoesNotMatch(new Regex(@"\bsqrt\."), ptx);
    }
}
