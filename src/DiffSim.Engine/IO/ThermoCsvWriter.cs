using System.Globalization;
using System.Text;
using DiffSim.Observables;

namespace DiffSim.IO;

/// <summary>
/// Writes <see cref="ThermoSample"/> rows as CSV: one <c>#</c> comment line stating the units, then the header
/// <c>step,temperature,pe,ke,etotal,pressure,conserved</c>, then a row per sample. Every row is flushed as it is
/// written, so a run that stops early (diverges, is killed, runs out of wall time) leaves a readable file, and
/// the file can be followed while the run goes on. Read it with <c>pandas.read_csv(path, comment="#")</c> or
/// <c>numpy.loadtxt(path, delimiter=",", skiprows=2)</c>.
/// </summary>
public sealed class ThermoCsvWriter : IDisposable
{
    /// <summary>The header line, without the comment line above it.</summary>
    public static readonly string Header = "step," + string.Join(',', ThermoSample.Columns);

    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly StringBuilder _line = new();

    /// <summary>Creates (or truncates) <paramref name="path"/>; other processes may read it while it is written.</summary>
    public ThermoCsvWriter(string path, UnitSystem units)
        : this(OpenShared(path), units, ownsWriter: true)
    {
    }

    public ThermoCsvWriter(TextWriter writer, UnitSystem units, bool ownsWriter = false)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
        _writer.Write("# ");
        _writer.WriteLine(UnitLabels.ThermoDescription(units));
        _writer.WriteLine(Header);
        _writer.Flush();
    }

    /// <summary>Rows written so far.</summary>
    public int Rows { get; private set; }

    /// <summary>Appends one row and flushes it.</summary>
    public void Write(in ThermoSample sample)
    {
        var inv = CultureInfo.InvariantCulture;
        _line.Clear();
        _line.Append(sample.Step.ToString(inv));
        foreach (var v in sample.Values) _line.Append(',').Append(v.ToString("R", inv));
        _writer.WriteLine(_line);
        _writer.Flush();
        Rows++;
    }

    public void Dispose()
    {
        _writer.Flush();
        if (_ownsWriter) _writer.Dispose();
    }

    internal static StreamWriter OpenShared(string path)
        => new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false));
}
