using System.Globalization;
using Microsoft.Extensions.Logging;
using Tether.Kernel;
using Tether.Logging;
using Tether.Platform.Processes;
using Tether.Policy;
using Tether.Protocol;

namespace Tether.Commands;

/// <summary>
/// <c>admin_run</c> → <c>admin_result</c> (docs/protocol.md §4): policy, cwd and env checks, the shared
/// slots, the run, one durable result and one audit line per request.
/// </summary>
/// <remarks>
/// The handler only parses on the receive loop; each command runs on a task this capability
/// owns and awaits at shutdown, when running trees are killed and their results posted.
/// Thread-safety: the running commands are <see cref="OwnedTasks"/>; the rest is immutable after construction.
/// </remarks>
internal sealed partial class AdminRunCapability : IAgentCapability
{
    public const string EventName = "admin_run";

    // Conventional codes: 126 not executable (refused), 127 not found, 124 timeout (GNU timeout).
    public const int CodeRefused = 126;
    public const int CodeNotStarted = 127;
    public const int CodeTimeout = 124;
    public const int CodeBusy = 429;
    public const int CodeInvalidCrontab = 1;

    private readonly AgentContext _context;
    private readonly CommandPolicy? _policy;
    private readonly string? _policyError;
    private readonly CommandRunner? _runner;
    private readonly Func<string, string?> _agentVariable;
    private readonly ChildEnvironmentPlatform _platform;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly OwnedTasks _running;

    public AdminRunCapability(AgentContext context, IChildProcessLauncher? launcher, Func<string, string?> agentVariable, ChildEnvironmentPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(platform);
        _context = context;
        _agentVariable = agentVariable;
        _platform = platform;
        _log = context.Loggers.CreateLogger<AdminRunCapability>();
        _running = new OwnedTasks(LogHandlerFailed);
        if (CommandPolicy.TryCreate(context.Config.Admin.AllowedCommands, out var policy, out var error))
        {
            _policy = policy;
            if (policy.AllowsEverything)
            {
                LogAllowsEverything();
            }

            foreach (var warning in policy.Warnings)
            {
                LogPolicyWarning(warning);
            }
        }
        else
        {
            _policyError = error;
            LogPolicyInvalid(error);
        }

        _runner = launcher is null ? null : new CommandRunner(launcher, context.Time, context.Loggers.CreateLogger<CommandRunner>());
        context.Dispatcher.On(EventName, OnAdminRunAsync);
    }

    /// <summary>The capability as <c>tether run</c> wires it: this OS's launcher, the agent's environment.</summary>
    public static AdminRunCapability Create(AgentContext context) =>
        new(context, ChildProcessLauncherFactory.Create(), Environment.GetEnvironmentVariable, ChildEnvironmentPlatform.Current);

    public async Task ShutdownAsync(CancellationToken ct)
    {
        await _shutdown.CancelAsync();
        await _running.WhenAllAsync(ct);
    }

    private ValueTask OnAdminRunAsync(InboundEvent inbound, CancellationToken ct)
    {
        if (!AdminRunRequest.TryParse(inbound.Payload, out var request, out var token, out var command, out var error))
        {
            // The token may be what made the request invalid: logged escaped, echoed on the wire as JSON.
            var tokenText = AdminRunRequest.TokenText(token) is { } raw ? TextChecks.ForDisplay(raw, AdminRunRequest.MaxTokenLength) : null;
            LogInvalid(tokenText, error);
            _context.Audit.Write(new AuditEntry(AuditAction.AdminRun, AuditOutcome.Refused)
            {
                Reason = "invalid request: " + error,
                Token = tokenText,
                Command = command,
            });
            if (token is not null || command is not null)
            {
                Post(AdminResult.NotRun(token, command ?? string.Empty, CodeRefused, "invalid admin_run request: " + error));
            }

            return ValueTask.CompletedTask;
        }

        _running.Run(() => HandleAsync(request));
        return ValueTask.CompletedTask;
    }


    private async Task HandleAsync(AdminRunRequest request)
    {
        var token = AdminRunRequest.TokenText(request.Token);
        if (_policy is null)
        {
            Refuse(request, AuditAction.AdminRun, "refused: admin.allowedCommands is invalid: " + _policyError);
            return;
        }

        var decision = _policy.Evaluate(request.Command);
        var action = decision.Kind is CommandDecisionKind.InstallCrontab or CommandDecisionKind.InvalidCrontab
            || (decision.Kind == CommandDecisionKind.Refused && CronPipeline.TryMatch(request.Command, out _))
            ? AuditAction.CrontabInstall
            : AuditAction.AdminRun;
        switch (decision.Kind)
        {
            case CommandDecisionKind.Refused:
                Refuse(request, action, decision.Reason!);
                return;
            case CommandDecisionKind.InvalidCrontab:
                LogRefused(token, decision.Reason!);
                _context.Audit.Write(new AuditEntry(action, AuditOutcome.Failed) { Reason = decision.Reason, Token = token, Command = request.Command });
                Post(AdminResult.NotRun(request.Token, request.Command, CodeInvalidCrontab, decision.Reason!));
                return;
        }

        string? cwd = null;
        if (request.Cwd is not null)
        {
            var check = PathPolicy.IsUnderAllowedRoot(request.Cwd, _context.Config.Admin.AllowedCwds);
            if (!check.IsAllowed)
            {
                var why = _context.Config.Admin.AllowedCwds.Count == 0
                    ? "admin.allowedCwds is empty, so no cwd may be given"
                    : check.Reason + " (admin.allowedCwds)";
                Refuse(request, action, "refused by policy: cwd " + TextChecks.ForDisplay(why));
                return;
            }

            cwd = check.ResolvedPath;
        }

        if (!EnvironmentPolicy.TryBuild(request.Env, _agentVariable, _platform, _context.Config.Admin.AllowedEnv, out var environment, out var envError))
        {
            Refuse(request, action, "refused by policy: " + envError);
            return;
        }

        if (_runner is null)
        {
            Refuse(request, action, "refused: admin commands are not supported on this operating system");
            return;
        }

        using var lease = _context.Slots.TryAcquire();
        if (lease is null)
        {
            LogRefused(token, "busy");
            _context.Audit.Write(new AuditEntry(action, AuditOutcome.Refused) { Reason = "busy", Token = token, Command = request.Command });
            Post(AdminResult.NotRun(request.Token, request.Command, CodeBusy, "busy", withError: false));
            return;
        }

        var timeout = TimeSpan.FromSeconds(request.TimeoutSec ?? _context.Config.Admin.DefaultTimeoutSec);
        var start = new ChildProcessStartOptions(decision.Argv[0], [.. decision.Argv.Skip(1)], environment, cwd, decision.Kind == CommandDecisionKind.InstallCrontab);
        CommandRun run;
        try
        {
            LogStarting(token, decision.Argv[0], timeout.TotalSeconds);
            run = await _runner.RunAsync(start, decision.Stdin, timeout, _context.Config.Admin.MaxOutputBytes, _shutdown.Token);
        }
        catch (ChildProcessException e)
        {
            LogNotStarted(token, e.Message);
            _context.Audit.Write(new AuditEntry(action, AuditOutcome.Failed) { Reason = e.Message, Token = token, Command = request.Command });
            lease.Dispose();
            Post(AdminResult.NotRun(request.Token, request.Command, CodeNotStarted, e.Message));
            return;
        }

        var result = ToResult(request, run);
        LogFinished(token, result.Code, result.DurationMs);
        _context.Audit.Write(new AuditEntry(action, result.Code == 0 ? AuditOutcome.Ok : AuditOutcome.Failed)
        {
            Reason = result.Code == 0 ? null : Describe(run, result.Code),
            Token = token,
            Command = request.Command,
        });

        // The slot goes back before the result is posted (a lease releases once; the using's
        // dispose is then a no-op): a command sent the moment the dashboard sees this result
        // finds it free, as a shell start does after shell_closed.
        lease.Dispose();
        Post(result);
    }

    private static AdminResult ToResult(AdminRunRequest request, CommandRun run)
    {
        int code;
        string? signal = run.Exit.SignalName;
        string? error = null;
        if (run.TimedOut)
        {
            code = CodeTimeout;
            signal = "SIGKILL";
            error = "timed out; the process group was killed";
        }
        else if (run.Cancelled)
        {
            code = 128 + 9;
            signal = "SIGKILL";
            error = "agent shutting down; the process group was killed";
        }
        else if (run.Exit.ExitCode is { } exitCode)
        {
            code = exitCode;
        }
        else if (run.Exit.SignalNumber is { } number)
        {
            code = 128 + number;
        }
        else
        {
            code = 1;
            error = "exit status unknown (collected by another process)";
        }

        return new AdminResult(
            request.Token,
            request.Command,
            run.Stdout.Decode(),
            run.Stderr.Decode(),
            code,
            signal,
            run.DurationMs,
            run.Stdout.Truncated || run.Stderr.Truncated,
            error);
    }

    private static string Describe(CommandRun run, int code) =>
        run.TimedOut ? "timed out"
        : run.Cancelled ? "agent shutting down"
        : run.Exit.SignalName is { } signal ? "killed by " + signal
        : "exit code " + code.ToString(CultureInfo.InvariantCulture);

    private void Refuse(AdminRunRequest request, AuditAction action, string reason)
    {
        var token = AdminRunRequest.TokenText(request.Token);
        LogRefused(token, reason);
        _context.Audit.Write(new AuditEntry(action, AuditOutcome.Refused) { Reason = reason, Token = token, Command = request.Command });
        Post(AdminResult.NotRun(request.Token, request.Command, CodeRefused, reason));
    }

    private void Post(AdminResult result)
    {
        var (frame, sent) = AdminResultEncoder.Encode(_context.Encoder, result, _context.Config.Transport.MaxPayloadBytes);
        if (sent.Truncated && !result.Truncated)
        {
            LogCut(AdminRunRequest.TokenText(result.Token), _context.Config.Transport.MaxPayloadBytes);
        }

        _context.Outbox.PostDurable(new OutboundEvent(AdminResultEncoder.EventName, frame, Durable: true));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin.allowedCommands is \"*\": every command the dashboard sends may run")]
    private partial void LogAllowsEverything();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private partial void LogPolicyWarning(string warning);

    [LoggerMessage(Level = LogLevel.Error, Message = "admin.allowedCommands is invalid, every command will be refused: {Reason}")]
    private partial void LogPolicyInvalid(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin_run {RequestId} invalid: {Reason}")]
    private partial void LogInvalid(string? requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "admin_run {RequestId} refused: {Reason}")]
    private partial void LogRefused(string? requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin_run {RequestId} could not start: {Reason}")]
    private partial void LogNotStarted(string? requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "admin_run {RequestId} starting {Program} (timeout {TimeoutSec} s)")]
    private partial void LogStarting(string? requestId, string program, double timeoutSec);

    [LoggerMessage(Level = LogLevel.Information, Message = "admin_run {RequestId} finished: code {Code} in {DurationMs} ms")]
    private partial void LogFinished(string? requestId, int code, long durationMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "admin_run {RequestId}: result cut to fit transport.maxPayloadBytes ({MaxPayloadBytes})")]
    private partial void LogCut(string? requestId, int maxPayloadBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "admin_run handler failed")]
    private partial void LogHandlerFailed(Exception exception);
}
