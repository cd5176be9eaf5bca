namespace Tether.Platform.HostStats;

/// <summary>Cumulative received and sent bytes.</summary>
internal readonly record struct NetworkCounters(ulong RxBytes, ulong TxBytes);
