namespace Tether.Telemetry;

/// <summary>
/// One entry of <c>containers</c> (docs/protocol.md §3), figured as the docker CLI figures them:
/// <see cref="CpuPercent"/> is 100 per busy core (a container busy on two cores shows 200),
/// <see cref="MemBytes"/> is usage minus the inactive file cache.
/// </summary>
internal sealed record ContainerStats(
    string Id,
    string Name,
    string Image,
    string State,
    double CpuPercent,
    ulong MemBytes,
    ulong MemLimitBytes,
    double NetRxBytesPerSec,
    double NetTxBytesPerSec);
