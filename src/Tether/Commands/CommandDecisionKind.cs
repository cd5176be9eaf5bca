namespace Tether.Commands;

/// <summary>What the agent does with an <c>admin_run</c> command line (docs/protocol.md §4).</summary>
internal enum CommandDecisionKind
{
    /// <summary>Nothing runs; <c>summary.code = 126</c>, the reason on stderr.</summary>
    Refused,

    /// <summary>Run <see cref="CommandDecision.Argv"/> directly, never through a shell.</summary>
    Run,

    /// <summary>Run <c>crontab -</c> with <see cref="CommandDecision.Stdin"/> as its input.</summary>
    InstallCrontab,

    /// <summary>The cron pipeline carried invalid base64: <c>summary.code = 1</c>, crontab untouched.</summary>
    InvalidCrontab,
}
