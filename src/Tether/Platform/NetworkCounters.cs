namespace Tether.Platform;

/// <summary>Cumulative received and sent bytes.</summary>
internal readonly record struct NetworkCounters(ulong RxBytes, ulong TxBytes);
