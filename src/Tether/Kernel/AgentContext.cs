using Microsoft.Extensions.Logging;
using Tether.Config;
using Tether.Logging;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Kernel;

/// <summary>
/// What a capability (shell, commands, backup, keys) gets to work with: it registers handlers on
/// <see cref="Dispatcher"/>, encodes with <see cref="Encoder"/>, posts to <see cref="Outbox"/>
/// (durable for results, live for streams), and hears about the connection through
/// <see cref="Connection"/>. Capabilities never reference each other (docs/style.md "Layout").
/// </summary>
internal sealed record AgentContext(
    AgentConfig Config,
    EventDispatcher Dispatcher,
    EventFrameEncoder Encoder,
    Outbox Outbox,
    IConnectionStatus Connection,
    ConcurrencySlots Slots,
    IAuditLog Audit,
    ILoggerFactory Loggers,
    TimeProvider Time);
