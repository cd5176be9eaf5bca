using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Config;

namespace Tether.Logging;

/// <summary>
/// Writes <see cref="AuditEntry"/> values as JSON lines to <c>logging.auditFile</c>, rotated like the main log:
/// <c>{"time","action","outcome","reason"?,"token"?,"command"?,"session"?,"user"?,"planId"?,"added"?}</c>.
/// Free-text fields are scrubbed by <see cref="LogRedactor"/>. A failed write is reported to the main log, never thrown.
/// </summary>
/// <remarks>Thread-safe (the writer serialises lines).</remarks>
internal sealed partial class AuditLog : IAuditLog, IDisposable
{
    private readonly RollingFileWriter _writer;
    private readonly TimeProvider _time;
    private readonly LogRedactor _redactor;
    private ILogger? _errors;

    public AuditLog(RollingFileWriter writer, TimeProvider time, LogRedactor redactor)
    {
        _writer = writer;
        _time = time;
        _redactor = redactor;
    }

    public string Path => _writer.Path;

    public static AuditLog Open(LoggingSettings settings, LogRedactor redactor, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new AuditLog(new RollingFileWriter(settings.AuditFile, settings.MaxBytes, settings.RetainedFiles), time ?? TimeProvider.System, redactor);
    }

    /// <summary>Where write failures are reported (set once logging is up).</summary>
    public void ReportErrorsTo(ILogger logger) => _errors = logger;

    public void Write(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            _writer.WriteLine(Format(entry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            if (_errors is { } log)
            {
                LogWriteFailed(log, _writer.Path, e.Message);
            }
        }
    }

    public void Dispose() => _writer.Dispose();

    internal string Format(AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonLinesFormatter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", _time.GetLocalNow().ToString(JsonLinesFormatter.TimeFormat, CultureInfo.InvariantCulture));
            writer.WriteString("action", ActionName(entry.Action));
            writer.WriteString("outcome", OutcomeName(entry.Outcome));
            WriteText(writer, "reason", entry.Reason, scrub: true);
            WriteText(writer, "token", entry.Token, scrub: false);
            WriteText(writer, "command", entry.Command, scrub: true);
            WriteText(writer, "session", entry.Session, scrub: false);
            WriteText(writer, "user", entry.User, scrub: false);
            WriteText(writer, "planId", entry.PlanId, scrub: false);
            if (entry.Added is { } added)
            {
                writer.WriteNumber("added", added);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string ActionName(AuditAction action) => action switch
    {
        AuditAction.ShellStart => "shell_start",
        AuditAction.ShellClosed => "shell_closed",
        AuditAction.AdminRun => "admin_run",
        AuditAction.CrontabInstall => "crontab_install",
        AuditAction.SyncKeys => "sync_keys",
        AuditAction.BackupStart => "backup_start",
        AuditAction.BackupEnd => "backup_end",
        AuditAction.AgentUpdate => "agent_update",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static string OutcomeName(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Ok => "ok",
        AuditOutcome.Refused => "refused",
        AuditOutcome.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private void WriteText(Utf8JsonWriter writer, string name, string? value, bool scrub)
    {
        if (value is null)
        {
            return;
        }

        writer.WriteString(name, JsonLinesFormatter.Safe(scrub ? _redactor.Scrub(value) : value));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "audit log {Path} write failed: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason);
}
