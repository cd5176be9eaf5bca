namespace Tether.Transport;

/// <summary>
/// Dead-peer rules of docs/protocol.md §2 and §3 as pure arithmetic over timestamps, so they are tested
/// with a fake clock: no engine.io ping within <c>pingInterval + pingTimeout</c> → dead;
/// nothing received for <c>pongTimeout</c> (checked every heartbeat interval) → dead; nothing
/// sent for <c>pongTimeout / 2</c> → send our own <c>ping</c>.
/// Thread-safety: all members lock; the receive, send and watchdog loops share one instance.
/// </summary>
internal sealed class LivenessMonitor(TimeSpan pingInterval, TimeSpan pingTimeout, TimeSpan heartbeatInterval, TimeSpan pongTimeout, DateTimeOffset openedAt)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _lastEnginePing = openedAt;
    private DateTimeOffset _lastReceived = openedAt;
    private DateTimeOffset _lastSent = openedAt;
    private DateTimeOffset _nextHeartbeatCheck = openedAt + heartbeatInterval;

    public TimeSpan EnginePingAllowance => pingInterval + pingTimeout;

    public void OnEnginePing(DateTimeOffset now)
    {
        lock (_gate)
        {
            _lastEnginePing = now;
            _lastReceived = now;
        }
    }

    public void OnReceived(DateTimeOffset now)
    {
        lock (_gate)
        {
            _lastReceived = now;
        }
    }

    public void OnSent(DateTimeOffset now)
    {
        lock (_gate)
        {
            _lastSent = now;
        }
    }

    /// <summary>What to do now, and when to look again.</summary>
    public (LivenessVerdict Verdict, DateTimeOffset NextCheck) Evaluate(DateTimeOffset now)
    {
        lock (_gate)
        {
            DateTimeOffset pingDeadline = _lastEnginePing + EnginePingAllowance;
            if (now >= pingDeadline)
            {
                return (LivenessVerdict.EnginePingMissed, now);
            }

            var verdict = LivenessVerdict.Alive;
            if (now >= _nextHeartbeatCheck)
            {
                if (now - _lastReceived >= pongTimeout)
                {
                    return (LivenessVerdict.ServerSilent, now);
                }

                _nextHeartbeatCheck = now + heartbeatInterval;
            }

            DateTimeOffset pingDue = _lastSent + (pongTimeout / 2);
            if (now >= pingDue)
            {
                verdict = LivenessVerdict.SendPing;
                _lastSent = now;
                pingDue = now + (pongTimeout / 2);
            }

            DateTimeOffset next = pingDeadline;
            if (_nextHeartbeatCheck < next)
            {
                next = _nextHeartbeatCheck;
            }

            if (pingDue < next)
            {
                next = pingDue;
            }

            return (verdict, next);
        }
    }
}
