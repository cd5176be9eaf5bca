using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace Tether.Logging;

/// <summary>
/// The human copy on stderr: <c>2026-11-29 13:40:34.123 +01:00 WRN [Category] message</c>, local time (TZ honoured
/// through <see cref="TimeZoneInfo.Local"/>), exception on the following lines. Text is scrubbed like the file.
/// </summary>
/// <remarks>Thread-safe: one lock per line so lines never interleave.</remarks>
internal sealed class ReadableStderrSink : ILogEventSink
{
    private readonly Lock _gate = new();
    private readonly TextWriter _output;
    private readonly LogRedactor _redactor;

    public ReadableStderrSink(TextWriter output, LogRedactor redactor)
    {
        _output = output;
        _redactor = redactor;
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var time = TimeZoneInfo.ConvertTime(logEvent.Timestamp, TimeZoneInfo.Local);
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{time:yyyy-MM-dd HH:mm:ss.fff zzz} {LogLevelNames.Short(logEvent.Level)} {Category(logEvent)}{_redactor.Scrub(MessageRenderer.Render(logEvent))}");
        if (logEvent.Exception is { } exception)
        {
            line += Environment.NewLine + _redactor.Scrub(exception.ToString());
        }

        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    private static string Category(LogEvent logEvent)
    {
        if (!logEvent.Properties.TryGetValue("SourceContext", out var value) || value is not ScalarValue { Value: string name })
        {
            return string.Empty;
        }

        var dot = name.LastIndexOf('.');
        return "[" + (dot >= 0 ? name[(dot + 1)..] : name) + "] ";
    }
}
