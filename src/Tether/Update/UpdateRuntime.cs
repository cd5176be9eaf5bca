using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tether.Config;
using Tether.Logging;
using Tether.Platform.Processes;

namespace Tether.Update;

/// <summary>
/// The update's part of one <c>tether run</c> (docs/protocol.md §10): at start it reads the
/// probation record — a first start of a new binary begins its probation, a second start means
/// the first one died before <c>hello_ack</c> and <c>tether.previous</c> is put back — and it
/// carries the request to restart (after an install or a rollback) out of the agent.
/// </summary>
/// <remarks>Thread-safe: the restart request is a cancellation token.</remarks>
internal sealed partial class UpdateRuntime : IDisposable
{
    /// <summary>
    /// Exit code that asks the service manager for a restart into the new (or restored) binary:
    /// 75 (EX_TEMPFAIL). The systemd unit's <c>Restart=on-failure</c> restarts on it, and
    /// <c>RestartForceExitStatus=75</c> says so explicitly.
    /// </summary>
    public const int RestartExitCode = 75;

    private readonly CancellationTokenSource _restart = new();
    private readonly ILogger _log;

    private UpdateRuntime(AgentConfig config, UpdateStore store, string? binaryPath, ILogger log)
    {
        Config = config;
        Store = store;
        BinaryPath = binaryPath;
        _log = log;
    }

    public AgentConfig Config { get; }

    public UpdateStore Store { get; }

    /// <summary>The published binary this process runs, or null under <c>dotnet tether.dll</c>.</summary>
    public string? BinaryPath { get; }

    /// <summary>This run is a new binary's probation: it must reach <c>hello_ack</c> within update.probationSec.</summary>
    public ProbationRecord? Probation { get; private set; }

    public CancellationToken RestartToken => _restart.Token;

    public bool RestartRequested => _restart.IsCancellationRequested;

    /// <summary>The running executable when it is a published tether binary (not the dotnet host).</summary>
    public static string? CurrentBinary()
    {
        string? path = Environment.ProcessPath;
        return path is not null && !Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? path : null;
    }

    /// <summary>Reads the probation record and acts on it; <see cref="RestartRequested"/> is set when a rollback happened and the restored binary must run.</summary>
    public static UpdateRuntime Open(AgentConfig config, IAuditLog audit, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(config);
        var runtime = new UpdateRuntime(config, new UpdateStore(config.StateDir), CurrentBinary(), log);
        if (runtime.BinaryPath is not null)
        {
            BundlePreload.LoadAll();
        }

        try
        {
            runtime.RemoveLeftovers();
            runtime.CheckProbation(audit);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogStateUnreadable(log, e.Message);
        }

        return runtime;
    }

    public void RequestRestart() => _restart.Cancel();

    /// <summary>Puts <c>tether.previous</c> back over the binary, records the version as rolled back and the report to send; then a restart is requested.</summary>
    public bool RollBack(IAuditLog audit, string reason)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var probation = Probation ?? Store.ReadProbation();
        if (probation is null || BinaryPath is null)
        {
            return false;
        }

        var swap = Swap(BinaryPath);
        string previous = swap.Previous;
        string error = "rolled back: " + reason;
        if (!File.Exists(previous))
        {
            error = $"cannot roll back ({reason}): {previous} is missing; {probation.To} stays";
            LogRollbackImpossible(_log, previous, reason);
            Store.WriteReport(new UpdateReport { Ok = false, From = probation.From, To = probation.To, Error = error });
            Store.DeleteProbation();
            Probation = null;
            audit.Write(new AuditEntry(AuditAction.AgentUpdate, AuditOutcome.Failed) { Command = $"update {probation.From} -> {probation.To}", Reason = error });
            return false;
        }

        // Order matters for a kill in between: the report and the rolled-back mark first, then
        // the binary (copy, rename), then the probation record. A kill before the rename leaves
        // the new binary and its probation, and the next start rolls back again; a kill after it
        // leaves a record naming another version than the restored one, which the next start
        // removes without a second report (the version is marked rolled back).
        Store.AddRolledBack(probation.To);
        Store.WriteReport(new UpdateReport { Ok = false, From = probation.From, To = probation.To, Error = error });
        UpdateTestPause.At(UpdateTestPause.RollbackReported);
        swap.Restore();
        UpdateTestPause.At(UpdateTestPause.RollbackSwapped);
        Store.DeleteProbation();
        Probation = null;
        LogRolledBack(_log, probation.To, probation.From, reason);
        audit.Write(new AuditEntry(AuditAction.AgentUpdate, AuditOutcome.Failed) { Command = $"update {probation.From} -> {probation.To}", Reason = error });
        RequestRestart();
        return true;
    }

    /// <summary>The first <c>hello_ack</c> of a binary on probation: it stays.</summary>
    public ProbationRecord? EndProbation()
    {
        var probation = Probation;
        if (probation is not null)
        {
            Store.DeleteProbation();
            Probation = null;
            LogProbationPassed(_log, probation.To);
        }

        return probation;
    }

    /// <summary>
    /// After the agent stopped for a restart: exit <see cref="RestartExitCode"/> under a service
    /// manager (systemd sets INVOCATION_ID; the Windows SCM runs <c>run --service</c>, whose
    /// failure actions restart a service that stops with a service-specific error). Without
    /// one, Unix replaces this process with the binary (same pid, same arguments); Windows,
    /// which has no exec, starts the binary as a new process with the same arguments and exits 0.
    /// Returns the exit code when the process was not replaced.
    /// </summary>
    public int Restart(TextWriter error, bool underServiceManager)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (BinaryPath is null || underServiceManager || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID")))
        {
            return RestartExitCode;
        }

        string[] arguments = Environment.GetCommandLineArgs()[1..];
        if (OperatingSystem.IsWindows())
        {
            try
            {
                var start = new ProcessStartInfo(BinaryPath) { UseShellExecute = false };
                foreach (string argument in arguments)
                {
                    start.ArgumentList.Add(argument);
                }

                using var process = Process.Start(start) ?? throw new IOException("did not start");
                return 0;
            }
            catch (Exception e)
            {
                // The last thing this process does: whatever went wrong is said, never thrown.
                error.WriteLine("tether: cannot restart into " + BinaryPath + ": " + e.GetType().Name + ": " + e.Message);
                return RestartExitCode;
            }
        }

        string reason = ProcessImage.Replace(BinaryPath, arguments);
        error.WriteLine("tether: cannot restart into " + BinaryPath + ": " + reason);
        return RestartExitCode;
    }

    public void Dispose() => _restart.Dispose();

    private static BinarySwap Swap(string binaryPath) => new(BinaryFiles.Instance, binaryPath, OperatingSystem.IsWindows());

    /// <summary>No update runs while the agent starts: files a killed install or rollback left beside the binary go.</summary>
    private void RemoveLeftovers()
    {
        if (BinaryPath is null)
        {
            return;
        }

        foreach (string path in Swap(BinaryPath).RemoveLeftovers())
        {
            LogLeftoverRemoved(_log, path);
        }
    }

    private void CheckProbation(IAuditLog audit)
    {
        var probation = Store.ReadProbation();
        if (probation is null)
        {
            return;
        }

        string running = AgentInfo.Version;
        if (!string.Equals(probation.To, running, StringComparison.Ordinal))
        {
            // Killed between writing the record and the rename (the old binary still runs), or
            // after a rollback's rename: nothing is on probation.
            if (!Store.ReadState().RolledBack.Contains(probation.To))
            {
                string error = $"update to {probation.To} was interrupted before the new binary was in place; {running} still runs";
                Store.WriteReport(new UpdateReport { Ok = false, From = probation.From, To = probation.To, Error = error });
                audit.Write(new AuditEntry(AuditAction.AgentUpdate, AuditOutcome.Failed) { Command = $"update {probation.From} -> {probation.To}", Reason = error });
            }

            Store.DeleteProbation();
            return;
        }

        Probation = probation;
        if (probation.Started)
        {
            RollBack(audit, $"{probation.To} stopped before it reached hello_ack");
            return;
        }

        probation.Started = true;
        Store.WriteProbation(probation);
        LogOnProbation(_log, probation.To, Config.Update.ProbationSec);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "update: on probation: {Version} must reach hello_ack within {Seconds} s or it is rolled back")]
    private static partial void LogOnProbation(ILogger logger, string version, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "update: {Version} reached hello_ack; probation over")]
    private static partial void LogProbationPassed(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "update: rolled back from {To} to {From}: {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string to, string from, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "update: cannot roll back, {Previous} is missing ({Reason})")]
    private static partial void LogRollbackImpossible(ILogger logger, string previous, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "update: removed {Path}, left by an interrupted update or rollback")]
    private static partial void LogLeftoverRemoved(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "update: the update state cannot be read: {Reason}")]
    private static partial void LogStateUnreadable(ILogger logger, string reason);
}
