using Microsoft.Extensions.Logging;
using Tether.Platform.Pty;

namespace Tether.Shell;

internal sealed partial class ShellSession
{
    [LoggerMessage(Level = LogLevel.Information, Message = "shell {Session} closing: {Reason}")]
    private partial void LogClosing(string session, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "shell {Session} still running after the grace period; killing its process group and session")]
    private partial void LogKilling(string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "shell {Session} ended ({Reason}, code {Code}, signal {Signal}); {Bytes} output bytes in {Reads} reads, {Events} events")]
    private partial void LogEnded(string session, string reason, int? code, string? signal, long bytes, long reads, long events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shell {Session}: resize failed: {Error}")]
    private partial void LogResizeFailed(string session, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shell {Session}: {Signal} failed: {Error}")]
    private partial void LogSignalFailed(string session, PtySignal signal, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "shell {Session}: input stopped: {Error}")]
    private partial void LogInputStopped(string session, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shell {Session}: output or input loop failed")]
    private partial void LogLoopFailed(Exception exception, string session);

    [LoggerMessage(Level = LogLevel.Error, Message = "shell {Session}: lifetime failed; killed")]
    private partial void LogLifetimeFailed(Exception exception, string session);
}
