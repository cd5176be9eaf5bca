namespace Tether.Telemetry;

/// <summary>The <c>net</c> object of <c>stats</c>: totals since boot and rates since the previous sample.</summary>
internal sealed record NetStats(ulong RxBytes, ulong TxBytes, double RxBytesPerSec, double TxBytesPerSec);
