namespace Tether.Shell;

// Reconnect grace (docs/protocol.md §3): when the connection drops, shells keep running for
// shell.reconnectGraceSec so a network blip does not kill an operator's work. A hello_ack of a
// new connection in time cancels the timer; past it every shell is closed with "connection
// lost", posted durable, so the dashboard hears about it after the next hello_ack. The
// generation number makes a timer that fired while being cancelled do nothing. Lost fires for
// every connection that ends, also one that never got its hello_ack.
internal sealed partial class ShellCapability
{
    private readonly TimeSpan _graceAfterLoss;
    private ITimer? _graceTimer;
    private long _generation;

    private void OnConnectionLost()
    {
        lock (_gate)
        {
            // A connection that came up and went again without a hello_ack does not restart
            // the grace: it counts from the first loss until a Ready.
            if (_graceTimer is not null || _shuttingDown || _sessions.Count == 0)
            {
                return;
            }

            var generation = _generation;
            LogGraceStarted(_sessions.Count, (int)_graceAfterLoss.TotalSeconds);
            _graceTimer = _context.Time.CreateTimer(_ => OnGraceExpired(generation), null, _graceAfterLoss, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnConnectionReady()
    {
        lock (_gate)
        {
            if (_graceTimer is not null)
            {
                LogGraceEnded(_sessions.Count);
            }

            StopGraceTimerLocked();
        }
    }

    private void OnGraceExpired(long generation)
    {
        List<ShellSession> open;
        lock (_gate)
        {
            if (generation != _generation)
            {
                return;
            }

            StopGraceTimerLocked();
            open = [.. _sessions.Values];
        }

        LogGraceExpired(open.Count);
        foreach (var session in open)
        {
            session.RequestClose(ShellClosedEvent.ConnectionLost, urgent: false);
        }
    }

    private void StopGraceTimerLocked()
    {
        _generation++;
        _graceTimer?.Dispose();
        _graceTimer = null;
    }
}
