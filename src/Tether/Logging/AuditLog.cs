using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
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
/// <remarks>
/// <para>One line records at most <see cref="MaxFieldLength"/> characters of each text field, so a hostile
/// dashboard cannot rotate earlier records away with a few huge requests (docs/protocol.md §7): a longer
/// <c>command</c> is recorded as its first <see cref="MaxFieldLength"/> characters with
/// <c>commandLength</c> (characters) and <c>commandSha256</c> (of its UTF-8) of the whole; other fields
/// end with <c>…</c>.</para>
/// <para>Thread-safe (the writer serialises lines).</para>
/// </remarks>
internal sealed partial class AuditLog : IAuditLog, IDisposable
{
    /// <summary>Most characters one text field of an audit line records (1 KiB).</summary>
    public const int MaxFieldLength = 1024;

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
            WriteCommand(writer, entry.Command);
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

        var kept = value.Length > MaxFieldLength ? Prefix(value) + "…" : value;
        writer.WriteString(name, JsonLinesFormatter.Safe(scrub ? _redactor.Scrub(kept) : kept));
    }

    private void WriteCommand(Utf8JsonWriter writer, string? command)
    {
        if (command is null || command.Length <= MaxFieldLength)
        {
            WriteText(writer, "command", command, scrub: true);
            return;
        }

        writer.WriteString("command", JsonLinesFormatter.Safe(_redactor.Scrub(Prefix(command))));
        writer.WriteNumber("commandLength", command.Length);
        writer.WriteString("commandSha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command))));
    }

    // The first MaxFieldLength characters, one less when the cut would split a surrogate pair.
    private static string Prefix(string value) =>
        value[..(char.IsHighSurrogate(value[MaxFieldLength - 1]) ? MaxFieldLength - 1 : MaxFieldLength)];

    [LoggerMessage(Level = LogLevel.Error, Message = "audit log {Path} write failed: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason);
}
