using System.Text.Encodings.Web;
using System.Text.Json;

namespace DiffSim.IO;

/// <summary>
/// Writes a <see cref="RunSummary"/> as indented JSON (System.Text.Json, no reflection). Non-finite numbers,
/// which JSON cannot hold, are written as null. Keys are snake_case.
/// </summary>
public static class SummaryJsonWriter
{
    public static void Write(string path, RunSummary summary)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        Write(stream, summary);
    }

    public static void Write(Stream stream, RunSummary s)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var w = new Utf8JsonWriter(stream, options);
        var u = s.Units;
        w.WriteStartObject();
        w.WriteString("status", s.Status);
        if (s.Error is not null) w.WriteString("error", s.Error);

        w.WriteStartObject("units");
        w.WriteString("system", u.Name);
        w.WriteString("length", u.LengthUnit);
        w.WriteString("time", u.TimeUnit);
        w.WriteString("energy", u.EnergyUnit);
        w.WriteString("temperature", UnitLabels.Temperature(u));
        w.WriteString("mass", UnitLabels.Mass(u));
        w.WriteString("pressure", u.PressureUnit);
        w.WriteString("energies", "per particle");
        w.WriteEndObject();

        w.WriteNumber("atoms", s.Atoms);
        w.WriteStartArray("types");
        foreach (var (name, count, mass) in s.Types)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteNumber("count", count);
            Number(w, "mass", mass);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("box");
        w.WriteNumberValue(s.Box.Lx); w.WriteNumberValue(s.Box.Ly); w.WriteNumberValue(s.Box.Lz);
        w.WriteEndArray();
        Number(w, "density", s.Atoms / s.Box.Volume);
        Number(w, "time_step", s.TimeStep);
        w.WriteNumber("equilibration_steps", s.EquilibrationSteps);
        w.WriteNumber("production_steps", s.ProductionSteps);
        w.WriteNumber("steps_completed", s.StepsCompleted);
        w.WriteNumber("thermo_every", s.ThermoEvery);
        Number(w, "wall_seconds", s.WallSeconds);
        Number(w, "atom_steps_per_second", s.AtomStepsPerSecond);
        w.WriteNumber("list_builds", s.ListBuilds);
        w.WriteString("precision", s.Precision.ToString().ToLowerInvariant());
        w.WriteNumber("threads", s.Threads);
        w.WriteString("kernel_path", s.KernelPath.ToString().ToLowerInvariant());

        w.WriteStartObject("averages");
        foreach (var a in s.Averages)
        {
            w.WriteStartObject(a.Name);
            Number(w, "mean", a.Mean);
            Number(w, "stderr", a.StandardError);
            w.WriteString("unit", a.Unit);
            w.WriteNumber("samples", a.Samples);
            w.WriteEndObject();
        }
        w.WriteEndObject();

        w.WriteStartObject("info");
        foreach (var (key, value) in s.Info) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
