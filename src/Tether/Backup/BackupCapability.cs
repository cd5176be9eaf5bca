using Microsoft.Extensions.Logging;
using Tether.Kernel;
using Tether.Logging;
using Tether.Platform.FileSystem;
using Tether.Platform.Processes;
using Tether.Protocol;

namespace Tether.Backup;

/// <summary>
/// <c>backup_plan</c> / <c>backup_start</c> (docs/protocol.md §5). Handlers validate and hand the work
/// to tasks this capability owns (the receive loop never blocks); results go through the
/// outbox durable, progress live. One run per planId at a time; the job state file lets a
/// repeated start resume. Thread-safe: running jobs sit in a locked map.
/// </summary>
internal sealed partial class BackupCapability : IAgentCapability
{
    public const string ShuttingDown = "agent shutting down";

    private readonly AgentContext _context;
    private readonly ILogger _log;
    private readonly JobStateStore _states;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly OwnedTasks _tasks;
    private readonly CancellationTokenSource _shutdown = new();

    public BackupCapability(AgentContext context)
    {
        _context = context;
        _log = context.Loggers.CreateLogger<BackupCapability>();
        _states = new JobStateStore(context.Config.StateDir);
        _tasks = new OwnedTasks(LogTaskFailed);
        context.Dispatcher.On("backup_plan", OnPlan);
        context.Dispatcher.On("backup_start", OnStart);
    }

    public async Task ShutdownAsync(CancellationToken ct)
    {
        await _shutdown.CancelAsync();
        await _tasks.WhenAllAsync(ct);
    }

    private ValueTask OnPlan(InboundEvent inbound, CancellationToken ct)
    {
        if (!BackupJob.TryParse(inbound.Payload, out var job, out var planId, out var error))
        {
            LogRefused("backup_plan", planId, error);
            PostError(planId, error);
            return ValueTask.CompletedTask;
        }

        _tasks.Run(() => PlanAsync(job!));
        return ValueTask.CompletedTask;
    }

    private ValueTask OnStart(InboundEvent inbound, CancellationToken ct)
    {
        if (!BackupJob.TryParse(inbound.Payload, out var job, out var planId, out var error))
        {
            LogRefused("backup_start", planId, error);
            _context.Audit.Write(new AuditEntry(AuditAction.BackupStart, AuditOutcome.Refused) { PlanId = planId, Reason = error });
            PostError(planId, error);
            return ValueTask.CompletedTask;
        }

        CancellationTokenSource cts;
        lock (_gate)
        {
            if (_running.ContainsKey(job!.PlanId))
            {
                LogAlreadyRunning(job.PlanId);
                _context.Audit.Write(new AuditEntry(AuditAction.BackupStart, AuditOutcome.Refused) { PlanId = job.PlanId, Reason = "already running" });
                return ValueTask.CompletedTask;
            }

            int max = _context.Config.Backup.MaxConcurrent;
            if (_running.Count >= max)
            {
                string busy = $"busy: {_running.Count} backup job(s) running, backup.maxConcurrent is {max}; start it again when they end";
                LogRefused("backup_start", job.PlanId, busy);
                _context.Audit.Write(new AuditEntry(AuditAction.BackupStart, AuditOutcome.Refused) { PlanId = job.PlanId, Reason = "busy" });
                PostError(job.PlanId, busy);
                return ValueTask.CompletedTask;
            }

            cts = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
            _running.Add(job.PlanId, cts);
        }

        _tasks.Run(() => RunAsync(job, cts));
        return ValueTask.CompletedTask;
    }

    private async Task PlanAsync(BackupJob job)
    {
        try
        {
            if (!JobPreparer.TryPrepare(job, _context.Config.Backup, out var prepared, out var error))
            {
                LogRefused("backup_plan", job.PlanId, error);
                PostError(job.PlanId, error);
                return;
            }

            var plan = BuildPlan(prepared!, _shutdown.Token);
            if (!job.IsLocal)
            {
                var (compared, remoteError) = await CompareRemoteAsync(prepared!, plan, _shutdown.Token);
                if (compared is null)
                {
                    PostError(job.PlanId, remoteError!);
                    return;
                }

                plan = compared;
            }

            _context.Outbox.PostDurable(new OutboundEvent("backup_plan", BackupEvents.Plan(_context.Encoder, job, plan, _context.Config.Transport.MaxPayloadBytes), Durable: true));
            LogPlanned(job.PlanId, plan.TotalFiles, plan.TotalBytes, plan.Modifies);
        }
        catch (OperationCanceledException)
        {
            PostError(job.PlanId, ShuttingDown);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            PostError(job.PlanId, e.Message);
        }

    }

    /// <summary>
    /// Remote <c>modifies</c>: rsync's own dry run over ssh names the files a start would send;
    /// the plan keeps its native selection and marks only those as modified.
    /// </summary>
    private async Task<(BackupPlan? Plan, string? Error)> CompareRemoteAsync(PreparedJob prepared, BackupPlan plan, CancellationToken ct)
    {
        if (await RemoteToolsErrorAsync(ct) is { } missing)
        {
            return (null, missing);
        }

        var settings = _context.Config.Backup;
        var sources = new List<SourcePlan>();
        for (int i = 0; i < prepared.Sources.Count; i++)
        {
            var source = prepared.Sources[i];
            var names = new HashSet<string>(StringComparer.Ordinal);
            var args = RemoteTarget.RsyncArguments(source.Resolved, prepared.Job.User, prepared.Job.Host, source.DestDir, prepared.Job.Port, settings.SshKnownHostsFile, settings.SshIdentityFile, prepared.Job.Excludes, dryRun: true);
            string? error = await new RsyncRunner(new BackupProgress()).RunAsync(FindTool("rsync")!, args, 0, 0, line => names.Add(RsyncProgressParser.UnescapeName(line)), ct);
            if (error is not null)
            {
                return (null, error);
            }

            var planned = plan.Sources[i];
            var entries = planned.Entries
                .Select(e => e.Kind == FileKind.File && !names.Contains(e.RelativePath) ? e with { Dest = e.Stat } : e)
                .ToList();
            sources.Add(planned with { Entries = entries });
        }

        return (new BackupPlan(sources), null);
    }

    private static BackupPlan BuildPlan(PreparedJob prepared, CancellationToken ct) =>
        new(prepared.Sources
            .Select(s => BackupPlanner.PlanSource(s.Resolved, s.DestDir, s.DestName, prepared.Job.Excludes, compareWithDest: prepared.Job.IsLocal, ct))
            .ToList());

    private async Task RunAsync(BackupJob job, CancellationTokenSource cts)
    {
        var progress = new BackupProgress();
        var started = _context.Time.GetTimestamp();
        var ct = cts.Token;
        int emissions = 0;
        var pacer = new ProgressPacer(_context.Time, () =>
        {
            _context.Outbox.TryPostLive(new OutboundEvent("backup_progress", BackupEvents.Progress(_context.Encoder, job.PlanId, progress), Durable: false));
            if (++emissions % 5 == 0)
            {
                TryWriteState(job.PlanId, "running", progress, null);
            }
        });
        using var pacerStop = new CancellationTokenSource();
        Task pacing = Task.CompletedTask;

        // The plan's slot is given back before its one result is posted: a start sent the moment
        // the dashboard sees that result is a new run, never "already running". Only once: after
        // it, the slot may belong to that new run.
        bool released = false;
        void Release()
        {
            lock (_gate)
            {
                if (!released)
                {
                    released = true;
                    _running.Remove(job.PlanId);
                }
            }
        }

        try
        {
            if (!JobPreparer.TryPrepare(job, _context.Config.Backup, out var prepared, out var error))
            {
                LogRefused("backup_start", job.PlanId, error);
                _context.Audit.Write(new AuditEntry(AuditAction.BackupStart, AuditOutcome.Refused) { PlanId = job.PlanId, Reason = error });
                Release();
                PostError(job.PlanId, error);
                return;
            }

            string? missing = job.IsLocal ? null : await RemoteToolsErrorAsync(ct);
            if (missing is not null)
            {
                _context.Audit.Write(new AuditEntry(AuditAction.BackupStart, AuditOutcome.Failed) { PlanId = job.PlanId, Reason = missing });
                Release();
                PostError(job.PlanId, missing);
                return;
            }

            bool resumed = _states.ReadStatus(job.PlanId) is "running" or "interrupted" or "failed";
            _context.Audit.Write(new AuditEntry(AuditAction.BackupStart, AuditOutcome.Ok) { PlanId = job.PlanId });
            LogStarting(job.PlanId, job.IsLocal ? "local" : "remote", resumed);
            TryWriteState(job.PlanId, "running", progress, null);
            pacing = pacer.RunAsync(pacerStop.Token);

            string? failure = await Task.Run(() => ExecuteAsync(prepared!, progress, pacer, ct), ct);
            long ms = (long)_context.Time.GetElapsedTime(started).TotalMilliseconds;
            await pacerStop.CancelAsync();
            await pacing;
            if (failure is not null)
            {
                Fail(job.PlanId, progress, failure, Release);
                return;
            }

            progress.SetOp("done");
            pacer.Kick();
            TryWriteState(job.PlanId, "complete", progress, null);
            _context.Audit.Write(new AuditEntry(AuditAction.BackupEnd, AuditOutcome.Ok) { PlanId = job.PlanId });
            LogCompleted(job.PlanId, progress.FilesTransferred, progress.TransferredBytes, ms);
            Release();
            _context.Outbox.PostDurable(new OutboundEvent("backup_complete", BackupEvents.Complete(_context.Encoder, job.PlanId, ms, progress), Durable: true));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await pacerStop.CancelAsync();
            await pacing;
            Fail(job.PlanId, progress, ShuttingDown, Release, "interrupted");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AggregateException)
        {
            await pacerStop.CancelAsync();
            await pacing;
            var inner = e is AggregateException a ? a.Flatten().InnerExceptions.FirstOrDefault(static x => x is IOException or UnauthorizedAccessException) ?? a.InnerException ?? a : e;
            Fail(job.PlanId, progress, inner.Message, Release);
        }
        finally
        {
            Release();
            cts.Dispose();
        }
    }

    private async Task<string?> ExecuteAsync(PreparedJob prepared, BackupProgress progress, ProgressPacer pacer, CancellationToken ct)
    {
        progress.Begin(string.Empty, "plan");
        var plan = BuildPlan(prepared, ct);
        progress.TotalFiles = plan.TotalFiles;
        progress.TotalBytes = plan.TotalBytes;
        if (prepared.Job.IsLocal)
        {
            progress.SetOp("copy");
            pacer.Kick();
            await new LocalCopier(progress).CopyAsync(plan, ct);
            return null;
        }

        string rsync = FindTool("rsync")!;
        var settings = _context.Config.Backup;
        var runner = new RsyncRunner(progress);
        foreach (var source in prepared.Sources)
        {
            progress.Begin(source.DestName, "rsync");
            pacer.Kick();
            var args = RemoteTarget.RsyncArguments(source.Resolved, prepared.Job.User, prepared.Job.Host, source.DestDir, prepared.Job.Port, settings.SshKnownHostsFile, settings.SshIdentityFile, prepared.Job.Excludes, dryRun: false);
            string? error = await runner.RunAsync(rsync, args, progress.FilesDone, progress.TransferredBytes, null, ct);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Null when rsync (new enough, see <see cref="RsyncVersion"/>) and ssh are there for remote mode; else why not.</summary>
    private static async Task<string?> RemoteToolsErrorAsync(CancellationToken ct)
    {
        string? rsync = FindTool("rsync");
        if (rsync is null)
        {
            return "rsync is not installed on this host (remote backups run rsync over ssh)";
        }

        if (FindTool("ssh") is null)
        {
            return "ssh is not installed on this host (remote backups run rsync over ssh)";
        }

        return RsyncVersion.Check(rsync, await RsyncRunner.ReadVersionAsync(rsync, TimeSpan.FromSeconds(10), ct));
    }

    private static string? FindTool(string name) =>
        ProgramPath.Find(name);

    /// <summary>Records the failure (state, audit, log), gives the plan's slot back with <paramref name="release"/>, then posts the one backup_error.</summary>
    private void Fail(string planId, BackupProgress progress, string error, Action release, string status = "failed")
    {
        TryWriteState(planId, status, progress, error);
        _context.Audit.Write(new AuditEntry(AuditAction.BackupEnd, AuditOutcome.Failed) { PlanId = planId, Reason = error });
        LogFailed(planId, error);
        release();
        PostError(planId, error);
    }

    private void PostError(string? planId, string error) =>
        _context.Outbox.PostDurable(new OutboundEvent("backup_error", BackupEvents.Error(_context.Encoder, planId, error), Durable: true));

    private void TryWriteState(string planId, string status, BackupProgress progress, string? error)
    {
        try
        {
            _states.Write(planId, status, progress, error, _context.Time.GetUtcNow());
            if (status != "running")
            {
                _states.Prune(planId);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogStateWriteFailed(planId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} refused (plan {PlanId}): {Reason}")]
    private partial void LogRefused(string @event, string? planId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "backup_start for plan {PlanId} ignored: a run for it is in progress")]
    private partial void LogAlreadyRunning(string planId);

    [LoggerMessage(Level = LogLevel.Information, Message = "backup plan {PlanId}: {TotalFiles} files, {TotalBytes} bytes, {Modifies} to transfer")]
    private partial void LogPlanned(string planId, long totalFiles, long totalBytes, long modifies);

    [LoggerMessage(Level = LogLevel.Information, Message = "backup {PlanId} starting ({Mode}, resumed: {Resumed})")]
    private partial void LogStarting(string planId, string mode, bool resumed);

    [LoggerMessage(Level = LogLevel.Information, Message = "backup {PlanId} complete: {Files} files, {Bytes} bytes in {Ms} ms")]
    private partial void LogCompleted(string planId, long files, long bytes, long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "backup {PlanId} failed: {Error}")]
    private partial void LogFailed(string planId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "backup state for plan {PlanId} not written: {Error}")]
    private partial void LogStateWriteFailed(string planId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "backup task failed")]
    private partial void LogTaskFailed(Exception e);
}
