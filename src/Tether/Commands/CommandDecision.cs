namespace Tether.Commands;

/// <summary>The outcome of <see cref="CommandPolicy.Evaluate"/>. Immutable.</summary>
internal sealed class CommandDecision
{
    private CommandDecision(CommandDecisionKind kind, IReadOnlyList<string> argv, ReadOnlyMemory<byte> stdin, string? reason)
    {
        Kind = kind;
        Argv = argv;
        Stdin = stdin;
        Reason = reason;
    }

    public CommandDecisionKind Kind { get; }

    /// <summary>The program and its arguments; empty unless <see cref="Kind"/> is Run or InstallCrontab.</summary>
    public IReadOnlyList<string> Argv { get; }

    /// <summary>Bytes for the child's stdin (the decoded crontab); empty otherwise.</summary>
    public ReadOnlyMemory<byte> Stdin { get; }

    /// <summary>For stderr and the audit log when Refused or InvalidCrontab; null otherwise.</summary>
    public string? Reason { get; }

    public static CommandDecision Run(IReadOnlyList<string> argv) => new(CommandDecisionKind.Run, argv, default, null);

    public static CommandDecision InstallCrontab(byte[] crontab) =>
        new(CommandDecisionKind.InstallCrontab, CronPipeline.CrontabInstallWords, crontab, null);

    public static CommandDecision Refused(string reason) => new(CommandDecisionKind.Refused, [], default, reason);

    public static CommandDecision InvalidCrontab(string reason) => new(CommandDecisionKind.InvalidCrontab, [], default, reason);
}
