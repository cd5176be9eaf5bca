using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Extensions.Logging;
using Tether.Config;

namespace Tether.Logging;

/// <summary>
/// The agent's logging (docs/protocol.md §7): JSON lines to <c>logging.file</c> rotated at <c>logging.maxBytes</c>
/// keeping <c>logging.retainedFiles</c> old files (<c>agent.log.1</c> newest), a readable copy on stderr,
/// secrets redacted before any sink, and the <see cref="Audit"/> log. Dispose to flush and close.
/// </summary>
internal sealed partial class LogSetup : IDisposable, IAsyncDisposable
{
    private readonly Logger _serilog;
    private readonly AuditLog _audit;
    private bool _disposed;

    private LogSetup(Logger serilog, ILoggerFactory factory, AuditLog audit, LogRedactor redactor)
    {
        _serilog = serilog;
        LoggerFactory = factory;
        _audit = audit;
        Redactor = redactor;
    }

    public ILoggerFactory LoggerFactory { get; }

    public IAuditLog Audit => _audit;

    /// <summary>Scrubs secrets out of text; the auth token is one of its known secrets.</summary>
    public LogRedactor Redactor { get; }

    /// <summary>Why the log file could not be opened (then only stderr gets the log; already logged as an error), or null.</summary>
    public string? FileError { get; private init; }

    /// <param name="levelOverride">trace/debug/info/warn/error replacing <c>logging.level</c>; ConfigLoader already applied <c>--log-level</c>, so usually null.</param>
    /// <param name="stderr">Where the readable copy goes; default <see cref="Console.Error"/>.</param>
    /// <exception cref="ArgumentException">An invalid <paramref name="levelOverride"/> (validate user input with <see cref="ConfigLoader.TryParseLevel"/>).</exception>
    public static LogSetup Create(AgentConfig config, string? levelOverride, TextWriter? stderr = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Create(config.Logging, [config.AuthToken, config.Proxy.HttpsProxy?.UserInfo, config.Proxy.HttpProxy?.UserInfo], levelOverride, stderr, time);
    }

    /// <summary>As <see cref="Create(AgentConfig, string?, TextWriter?, TimeProvider?)"/> with explicit settings and secrets.</summary>
    public static LogSetup Create(LoggingSettings logging, IEnumerable<string?> secrets, string? levelOverride, TextWriter? stderr = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(logging);
        var level = logging.Level;
        if (levelOverride is not null && !ConfigLoader.TryParseLevel(levelOverride, out level))
        {
            throw new ArgumentException("log level must be one of trace, debug, info, warn, error", nameof(levelOverride));
        }

        var redactor = new LogRedactor(secrets);
        var serilog = CreateSerilog(logging, level, redactor, stderr ?? Console.Error, out var fileError);
        var factory = new SerilogLoggerFactory(serilog, dispose: false);
        var audit = AuditLog.Open(logging, redactor, time);
        var setupLog = factory.CreateLogger("Tether.Logging.LogSetup");
        if (fileError is not null)
        {
            LogFileUnavailable(setupLog, logging.File, fileError);
        }

        audit.ReportErrorsTo(factory.CreateLogger("Tether.Logging.AuditLog"));
        return new LogSetup(serilog, factory, audit, redactor) { FileError = fileError };
    }

    /// <summary>
    /// For a config error before logging exists: the message to stderr and, best effort, as a JSON line to
    /// <paramref name="logFile"/> (see <see cref="ConfigLoadResult.LogFileHint"/>), docs/protocol.md §7.
    /// </summary>
    public static void ReportFatal(string message, string? logFile, TextWriter? stderr = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        (stderr ?? Console.Error).WriteLine(message);
        if (logFile is null)
        {
            return;
        }

        try
        {
            var settings = new LoggingSettings { File = logFile, AuditFile = logFile };
            using var serilog = CreateSerilog(settings, LogLevel.Error, LogRedactor.Default, stderr: null, out var fileError);
            if (fileError is not null)
            {
                (stderr ?? Console.Error).WriteLine($"(could not write {logFile}: {fileError})");
                return;
            }

            serilog.ForContext(Constants.SourceContextPropertyName, "Tether").Error("{Error}", message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            (stderr ?? Console.Error).WriteLine($"(could not write {logFile}: {e.Message})");
        }
    }

    private static Logger CreateSerilog(LoggingSettings logging, LogLevel level, LogRedactor redactor, TextWriter? stderr, out string? fileError)
    {
        var writer = new RollingFileWriter(logging.File, logging.MaxBytes, logging.RetainedFiles);
        writer.TryOpen(out fileError);
        var file = new RollingFileSink(new JsonLinesFormatter(redactor), writer);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(LogLevelNames.ToSerilog(level))
            .Enrich.With(new RedactingEnricher(redactor))
            .WriteTo.Sink(file);
        if (stderr is not null)
        {
            configuration = configuration.WriteTo.Sink(new ReadableStderrSink(stderr, redactor));
        }

        return configuration.CreateLogger();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "log file {Path} cannot be opened, logging to stderr only: {Reason}")]
    private static partial void LogFileUnavailable(Microsoft.Extensions.Logging.ILogger logger, string path, string reason);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        LoggerFactory.Dispose();
        _serilog.Dispose();
        _audit.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
