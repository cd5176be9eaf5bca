using Microsoft.Extensions.Logging;

namespace Tether.Protocol;

/// <summary>
/// Routes inbound events to the capability that registered for the name. A failing handler is
/// logged and never stops the receive loop (docs/style.md "A failing handler never stops the dispatcher").
/// Handlers run on the receive loop, in arrival order (shell input must stay ordered), so they
/// must not block: long work belongs to a task the capability owns.
/// Thread-safety: register all handlers before the first dispatch; dispatching is then lock-free.
/// </summary>
internal sealed class EventDispatcher(ILogger<EventDispatcher> log)
{
    private readonly Dictionary<string, Func<InboundEvent, CancellationToken, ValueTask>> _handlers = new(StringComparer.Ordinal);

    public void On(string name, Func<InboundEvent, CancellationToken, ValueTask> handler)
    {
        if (!_handlers.TryAdd(name, handler))
        {
            throw new InvalidOperationException($"a handler for '{name}' is already registered");
        }
    }

    public bool Handles(string name) => _handlers.ContainsKey(name);

    public async ValueTask DispatchAsync(InboundEvent inbound, CancellationToken ct)
    {
        if (!_handlers.TryGetValue(inbound.Name, out var handler))
        {
            log.LogDebug("no handler for event {Event}; ignored", inbound.Name);
            return;
        }

        try
        {
            await handler(inbound, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // a handler bug must not end the connection (docs/protocol.md §3: never a crash)
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.LogError(ex, "handler for event {Event} failed", inbound.Name);
        }
    }
}
