using Microsoft.Extensions.Logging;

namespace Tether.Shell;

internal sealed partial class ShellCapability
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "admin.enableShell is true: the dashboard can open a terminal on this machine as {User}; set \"admin\": {{\"enableShell\": false}} in the config file to turn it off")]
    private partial void LogShellEnabled(string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} ignored: {Reason}")]
    private partial void LogInvalid(string @event, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event}: unexpected member {Member} ignored")]
    private partial void LogUnknownMember(string @event, string member);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shell_start ignored: session {Session} is already open")]
    private partial void LogDuplicateStart(string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Event} ignored: no open session {Session}")]
    private partial void LogUnknownSession(string @event, string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shell {Session}: input dropped ({Bytes} bytes): queue full or shell ending")]
    private partial void LogInputDropped(string session, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "shell_start {Session} refused: {Reason}")]
    private partial void LogRefused(string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shell_start {Session} failed: {Error}")]
    private partial void LogStartFailed(string session, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "shell {Session} started (pid {Pid}, {Columns}x{Rows})")]
    private partial void LogStarted(string session, int pid, int columns, int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection lost: {Count} shell(s) kept for {GraceSec} s")]
    private partial void LogGraceStarted(int count, int graceSec);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection back: {Count} shell(s) go on")]
    private partial void LogGraceEnded(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "shell bookkeeping failed")]
    private partial void LogBookkeepingFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "connection not back in time: closing {Count} shell(s)")]
    private partial void LogGraceExpired(int count);
}
