using System.Text.Json;
using System.Text.Json.Serialization;

namespace DiffSim.Cli.Running;

/// <summary>
/// How fit and ibi write summary.json: indented, and a quantity that is not a finite number (an RMS error before the
/// first iteration, a pressure of a diverged run) as null, as simulate's summary does, not as the string "NaN".
/// </summary>
public static class SummaryJson
{
    public static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, Converters = { new FiniteOrNull() } };

    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
