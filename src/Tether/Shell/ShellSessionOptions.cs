using Tether.Config;

namespace Tether.Shell;

/// <summary>Per-session settings of a <see cref="ShellSession"/>; the defaults are the contract's.</summary>
internal sealed record ShellSessionOptions
{
    /// <summary>Raw output bytes per <c>shell_output</c> at most (docs/protocol.md §3: 64 KiB an event).</summary>
    public const int MaxRawBytesPerEvent = 64 * 1024;

    public ShellOutputEncoding OutputEncoding { get; init; } = ShellOutputEncoding.Utf8;

    /// <summary><c>transport.maxPayloadBytes</c>: no frame may be larger.</summary>
    public int MaxPayloadBytes { get; init; } = 1_000_000;

    /// <summary>SIGHUP to SIGKILL on <c>shell_close</c> (docs/protocol.md §3: 2 s).</summary>
    public TimeSpan CloseGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A shell still running this long after its SIGHUP gets a second one. bash 5.2 notes a SIGHUP
    /// that lands just after a command line but acts on it only at the next key (about 1 run in
    /// 70 measured here); a second SIGHUP wakes it, so it exits, saves its history and passes the
    /// hangup on to its jobs instead of being SIGKILLed at the end of the grace. Where no session
    /// sweep exists (macOS) that hangup is the only thing that reaches jobs in their own groups.
    /// </summary>
    public TimeSpan HangupRepeat { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>SIGHUP to SIGKILL at agent shutdown, which has 1.5 s for everything.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long output still in flight after the exit may take before the terminal is closed under it.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The same at shutdown, whose whole budget is 1.5 s.</summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>While output streams, it is gathered this long into one event (a keystroke echo after a pause goes at once).</summary>
    public TimeSpan CoalesceWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How often leftover processes of the session are looked for during a grace period.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Keystrokes queued for a program that does not read; more is dropped with a warning.</summary>
    public int MaxPendingInputBytes { get; init; } = 1024 * 1024;
}
