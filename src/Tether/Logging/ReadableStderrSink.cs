using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Tether.Policy;

namespace Tether.Logging;

/// <summary>
/// The human copy on stderr: <c>2026-11-29 13:40:34.123 +01:00 WRN [Category] message</c>, local time (TZ honoured
/// through <see cref="TimeZoneInfo.Local"/>), exception on the following lines. Text is scrubbed like the file.
/// </summary>
/// <remarks>
/// <para>One event is one line (docs/protocol.md §7): control, bidi and lone surrogate characters in the
/// message (a request token, a server's error text, a remote program's stderr) are shown as
/// <c>\uXXXX</c> by <see cref="TextChecks.ForDisplay"/>, as the JSON sinks escape them, so nothing a
/// peer sends can start a forged line in the journal. An exception's lines are escaped the same way and
/// indented by two spaces, so none of them can pass for a record either.</para>
/// <para>Thread-safe: one lock per line so lines never interleave.</para>
/// </remarks>
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
            $"{time:yyyy-MM-dd HH:mm:ss.fff zzz} {LogLevelNames.Short(logEvent.Level)} {Category(logEvent)}{Escape(_redactor.Scrub(MessageRenderer.Render(logEvent)))}");
        if (logEvent.Exception is { } exception)
        {
            foreach (var exceptionLine in _redactor.Scrub(exception.ToString()).ReplaceLineEndings("\n").Split('\n'))
            {
                line += Environment.NewLine + "  " + Escape(exceptionLine);
            }
        }

        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    private static string Escape(string text) => TextChecks.ForDisplay(text, int.MaxValue);

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
