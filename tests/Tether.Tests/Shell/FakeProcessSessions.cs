using Tether.Platform.Processes;
using Tether.Platform.Pty;

namespace Tether.Tests.Shell;

/// <summary>Records session-wide signals; <see cref="Leftovers"/> processes survive until SIGKILL.</summary>
internal sealed class FakeProcessSessions : IProcessSessions
{
    private readonly Lock _gate = new();
    private readonly List<(int Session, PtySignal Signal)> _signals = [];

    public int Leftovers { get; set; }

    public List<(int Session, PtySignal Signal)> Signals
    {
        get
        {
            lock (_gate)
            {
                return [.. _signals];
            }
        }
    }

    public int Signal(int sessionId, PtySignal signal)
    {
        lock (_gate)
        {
            _signals.Add((sessionId, signal));
            var n = Leftovers;
            if (signal == PtySignal.Kill)
            {
                Leftovers = 0;
            }

            return n;
        }
    }

    public int Count(int sessionId)
    {
        lock (_gate)
        {
            return Leftovers;
        }
    }
}
