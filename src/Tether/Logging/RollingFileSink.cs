using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Tether.Logging;

/// <summary>Formats each event with an <see cref="ITextFormatter"/> and appends it through a <see cref="RollingFileWriter"/>.</summary>
/// <remarks>Thread-safe (the writer serialises).</remarks>
internal sealed class RollingFileSink : ILogEventSink, IDisposable
{
    private readonly ITextFormatter _formatter;
    private readonly RollingFileWriter _writer;

    public RollingFileSink(ITextFormatter formatter, RollingFileWriter writer)
    {
        _formatter = formatter;
        _writer = writer;
    }

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, text);
        _writer.WriteLine(text.ToString());
    }

    public void Dispose() => _writer.Dispose();
}
