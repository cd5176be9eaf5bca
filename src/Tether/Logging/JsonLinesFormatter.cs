using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting;

namespace Tether.Logging;

/// <summary>
/// One JSON object per line (docs/protocol.md §7): <c>{"time","level","message","fields"{…},"exception"?}</c>.
/// Output is valid JSON for any input: control characters are escaped and lone surrogates become U+FFFD.
/// The rendered message and exception pass through <see cref="LogRedactor.Scrub"/> (properties were already redacted by <see cref="RedactingEnricher"/>).
/// </summary>
/// <remarks>Stateless apart from the immutable redactor; thread-safe.</remarks>
internal sealed class JsonLinesFormatter : ITextFormatter
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly LogRedactor _redactor;

    public JsonLinesFormatter(LogRedactor redactor) => _redactor = redactor;

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", logEvent.Timestamp.ToString(TimeFormat, CultureInfo.InvariantCulture));
            writer.WriteString("level", LogLevelNames.Json(logEvent.Level));
            writer.WriteString("message", Safe(_redactor.Scrub(MessageRenderer.Render(logEvent))));
            writer.WriteStartObject("fields");
            foreach (var (name, value) in logEvent.Properties)
            {
                writer.WritePropertyName(Safe(name));
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
            if (logEvent.Exception is { } exception)
            {
                writer.WriteString("exception", Safe(_redactor.Scrub(exception.ToString())));
            }

            writer.WriteEndObject();
        }

        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
    }

    /// <summary>Replaces lone surrogates with U+FFFD so the UTF-8 output is always valid.</summary>
    internal static string Safe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                var chars = text.ToCharArray();
                for (var j = i; j < chars.Length; j++)
                {
                    if (char.IsHighSurrogate(chars[j]) && j + 1 < chars.Length && char.IsLowSurrogate(chars[j + 1]))
                    {
                        j++;
                    }
                    else if (char.IsSurrogate(chars[j]))
                    {
                        chars[j] = '\uFFFD';
                    }
                }

                return new string(chars);
            }
        }

        return text;
    }

    private static void WriteValue(Utf8JsonWriter writer, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(writer, scalar.Value);
                break;
            case SequenceValue sequence:
                writer.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    WriteValue(writer, element);
                }

                writer.WriteEndArray();
                break;
            case StructureValue structure:
                writer.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    writer.WritePropertyName(Safe(property.Name));
                    WriteValue(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case DictionaryValue dictionary:
                writer.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    writer.WritePropertyName(Safe(ScalarText(key.Value)));
                    WriteValue(writer, element);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(Safe(value.ToString()));
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            default:
                writer.WriteStringValue(Safe(ScalarText(value)));
                break;
        }
    }

    private static string ScalarText(object? value) => value switch
    {
        null => "null",
        string s => s,
        DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
