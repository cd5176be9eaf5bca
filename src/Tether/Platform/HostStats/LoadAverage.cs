namespace Tether.Platform.HostStats;

/// <summary>Run-queue load averages over 1, 5 and 15 minutes.</summary>
internal readonly record struct LoadAverage(double One, double Five, double Fifteen);
