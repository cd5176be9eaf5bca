namespace Tether.Telemetry;

/// <summary>How often to report, and where <c>netLatencyMs</c> is measured to (the server, or the proxy as first hop).</summary>
internal sealed record StatsReporterOptions(TimeSpan Interval, string LatencyHost, int LatencyPort);
