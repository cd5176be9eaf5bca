using Tether.Transport;

namespace Tether.Service;

/// <summary>
/// Tells the service manager that started <c>tether run</c> how the agent is doing: started,
/// connected, stopping, still alive. <see cref="Agent.AgentHost"/> calls <see cref="RunAsync"/>
/// once, right after it starts the connection loop.
/// </summary>
internal interface IServiceNotifier
{
    /// <summary>
    /// Follows <paramref name="connection"/> (its <c>Ready</c> and <c>Lost</c> events) and, when
    /// the manager asks for it, proves liveness while <paramref name="connectionLoop"/> runs.
    /// Reports "stopping" as soon as <paramref name="stoppingToken"/> fires. Completes, never
    /// faults, after <paramref name="stoppingToken"/> fired.
    /// </summary>
    Task RunAsync(IConnectionStatus connection, Task connectionLoop, CancellationToken stoppingToken);
}
