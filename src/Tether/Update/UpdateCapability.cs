using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Kernel;
using Tether.Logging;
using Tether.Protocol;

namespace Tether.Update;

/// <summary>
/// <c>agent_update {manifest, signature, url}</c> → durable <c>agent_update_result {ok, from, to, error?}</c>
/// (docs/protocol.md §10). A refusal is answered at once; an install stops the agent and
/// restarts it into the new binary, which answers <c>ok:true</c> after its first
/// <c>hello_ack</c>. While a new binary is on probation this capability ends the probation at
/// <c>hello_ack</c>, or rolls back when update.probationSec passes first. A report left by a
/// rollback or an interrupted update is posted once at start (it waits in the durable outbox).
/// </summary>
/// <remarks>One update at a time (<see cref="_busy"/>); the work runs on tasks this capability owns.</remarks>
internal sealed partial class UpdateCapability : IAgentCapability, IDisposable
{
    public const string EventName = "agent_update";
    public const string ResultName = "agent_update_result";

    private readonly AgentContext _context;
    private readonly UpdateRuntime _runtime;
    private readonly UpdateService _service;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly OwnedTasks _running;
    private readonly object _probationLock = new();
    private int _busy;

    public UpdateCapability(AgentContext context, UpdateRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(runtime);
        _context = context;
        _runtime = runtime;
        _service = new UpdateService(context.Config, runtime.Store, runtime.BinaryPath, context.Audit, context.Time);
        _log = context.Loggers.CreateLogger<UpdateCapability>();
        _running = new OwnedTasks(LogHandlerFailed);
        context.Dispatcher.On(EventName, OnAgentUpdateAsync);
        PostPendingReport();
        if (runtime.Probation is not null)
        {
            context.Connection.Ready += OnReadyDuringProbation;
            _running.Run(ProbationTimerAsync);
        }
    }

    public async Task ShutdownAsync(CancellationToken ct)
    {
        await _shutdown.CancelAsync();
        await _running.WhenAllAsync(ct);
    }

    public void Dispose()
    {
        _context.Connection.Ready -= OnReadyDuringProbation;
        _shutdown.Dispose();
    }

    private void PostPendingReport()
    {
        try
        {
            if (_runtime.Store.ReadReport() is { } report)
            {
                Post(report.Ok, report.From, report.To, report.Error);
                _runtime.Store.DeleteReport();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReportUnreadable(e.Message);
        }
    }

    private void OnReadyDuringProbation()
    {
        ProbationRecord? passed;
        lock (_probationLock)
        {
            try
            {
                passed = _runtime.EndProbation();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogReportUnreadable(e.Message);
                return;
            }
        }

        if (passed is not null)
        {
            _context.Audit.Write(new AuditEntry(AuditAction.AgentUpdate, AuditOutcome.Ok) { Command = $"update {passed.From} -> {passed.To}", Reason = "reached hello_ack" });
            Post(true, passed.From, passed.To, null);
        }
    }

    private async Task ProbationTimerAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_context.Config.Update.ProbationSec), _context.Time, _shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_probationLock)
        {
            if (_runtime.Probation is { } probation)
            {
                try
                {
                    _runtime.RollBack(_context.Audit, $"{probation.To} did not reach hello_ack within {_context.Config.Update.ProbationSec} s");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogRollbackFailed(e.Message);
                }
            }
        }
    }

    private ValueTask OnAgentUpdateAsync(InboundEvent inbound, CancellationToken ct)
    {
        var payload = inbound.Payload;
        string? error = null;
        byte[] manifest = [];
        byte[] signature = [];
        Uri? url = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            error = "agent_update payload must be an object";
        }
        else if (!payload.TryGetProperty("manifest", out var m) || m.ValueKind != JsonValueKind.String)
        {
            error = "manifest must be a string (the manifest file's text, exactly as signed)";
        }
        else if (!payload.TryGetProperty("signature", out var s) || s.ValueKind != JsonValueKind.String || !TryBase64(s.GetString()!, out signature))
        {
            error = "signature must be a base64 string (of the file openssl dgst -sha256 -sign writes)";
        }
        else if (!payload.TryGetProperty("url", out var u) || u.ValueKind != JsonValueKind.String || !Uri.TryCreate(u.GetString(), UriKind.Absolute, out url) || url.Scheme != Uri.UriSchemeHttps)
        {
            error = "url must be an absolute https URL";
        }
        else
        {
            manifest = Encoding.UTF8.GetBytes(m.GetString()!);
        }

        if (error is null && Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            error = "busy: an update is already in progress";
        }

        if (error is not null)
        {
            LogRefused(error);
            _context.Audit.Write(new AuditEntry(AuditAction.AgentUpdate, AuditOutcome.Refused) { Reason = error });
            Post(false, UpdateService.Running, string.Empty, error);
            return ValueTask.CompletedTask;
        }

        // The checks that need no download run here, so refusals are answered in order at once.
        var source = new UpdateSource(url!, null);
        var (verified, refusal) = _service.Verify(manifest, signature, source, automatic: true);
        if (verified is null)
        {
            Volatile.Write(ref _busy, 0);
            LogRefused(refusal!.Error!);
            Post(false, refusal.From, refusal.To, refusal.Error);
            return ValueTask.CompletedTask;
        }

        _running.Run(() => UpdateAsync(verified, source));
        return ValueTask.CompletedTask;
    }

    private async Task UpdateAsync(VerifiedManifest verified, UpdateSource source)
    {
        try
        {
            var outcome = await _service.InstallAsync(verified, source, automatic: true, _shutdown.Token);
            if (outcome.Ok)
            {
                LogInstalled(outcome.From, outcome.To);
                _runtime.RequestRestart();
                return;
            }

            LogRefused(outcome.Error!);
            Post(false, outcome.From, outcome.To, outcome.Error);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void Post(bool ok, string from, string to, string? error)
    {
        var frame = _context.Encoder.Encode(ResultName, writer =>
        {
            writer.WriteBoolean("ok", ok);
            writer.WriteString("from", from);
            writer.WriteString("to", to);
            if (error is not null)
            {
                writer.WriteString("error", error);
            }
        });
        _context.Outbox.PostDurable(new OutboundEvent(ResultName, frame, Durable: true));
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out int written) && written > 0)
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent_update refused: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "agent_update: {From} -> {To} installed; restarting into it")]
    private partial void LogInstalled(string from, string to);

    [LoggerMessage(Level = LogLevel.Error, Message = "update: the pending report cannot be read: {Reason}")]
    private partial void LogReportUnreadable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "update: rollback failed: {Reason}")]
    private partial void LogRollbackFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "agent_update handler failed")]
    private partial void LogHandlerFailed(Exception exception);
}
