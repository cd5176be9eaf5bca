using Serilog.Core;
using Serilog.Events;

namespace Tether.Logging;

/// <summary>
/// Runs before every sink: properties with sensitive names become <c>***</c>, strings elsewhere are scrubbed
/// (so a URL logged with its query loses <c>sig</c>/<c>token</c>). The rendered message is built from these values.
/// </summary>
internal sealed class RedactingEnricher : ILogEventEnricher
{
    private readonly LogRedactor _redactor;

    public RedactingEnricher(LogRedactor redactor) => _redactor = redactor;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        foreach (var (name, value) in logEvent.Properties.ToArray())
        {
            var redacted = LogRedactor.IsSensitiveName(name) ? new ScalarValue(LogRedactor.Mask) : Redact(value);
            if (!ReferenceEquals(redacted, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, redacted));
            }
        }
    }

    /// <summary>Returns the same instance when nothing changed.</summary>
    private LogEventPropertyValue Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: null or bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal or DateTime or DateTimeOffset or TimeSpan or Guid }:
                return value;
            case ScalarValue scalar:
                var text = scalar.Value is IFormattable f
                    ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)
                    : scalar.Value!.ToString() ?? string.Empty;
                var scrubbed = _redactor.Scrub(text);
                return scalar.Value is string && string.Equals(scrubbed, text, StringComparison.Ordinal) ? value : new ScalarValue(scrubbed);
            case SequenceValue sequence:
                return new SequenceValue(sequence.Elements.Select(Redact));
            case StructureValue structure:
                return new StructureValue(
                    structure.Properties.Select(p => new LogEventProperty(p.Name, LogRedactor.IsSensitiveName(p.Name) ? new ScalarValue(LogRedactor.Mask) : Redact(p.Value))),
                    structure.TypeTag);
            case DictionaryValue dictionary:
                return new DictionaryValue(dictionary.Elements.Select(kv => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                    kv.Key,
                    kv.Key.Value is string k && LogRedactor.IsSensitiveName(k) ? new ScalarValue(LogRedactor.Mask) : Redact(kv.Value))));
            default:
                return value;
        }
    }
}
