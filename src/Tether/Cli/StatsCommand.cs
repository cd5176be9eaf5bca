using System.Text.Json;
using Tether.Config;
using Tether.Platform.HostStats;
using Tether.Telemetry;

namespace Tether.Cli;

/// <summary><c>tether stats</c>: one telemetry sample as JSON, the <c>data</c> object of a <c>stats</c> event.</summary>
internal static class StatsCommand
{
    public static async Task<int> ExecuteAsync(TextWriter output, CancellationToken ct)
    {
        var collector = new StatsCollector(HostStatsFactory.Create(), TimeProvider.System, AgentInfo.Version);
        collector.Sample(null);
        // CPU % and network rates are deltas: a short second look makes them current, not since boot.
        await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        StatsData data = collector.Sample(null);
        var options = new JsonSerializerOptions(TelemetryJsonContext.Default.Options) { WriteIndented = true };
        await output.WriteLineAsync(JsonSerializer.Serialize(data, options.GetTypeInfo(typeof(StatsData))).AsMemory(), ct);
        return 0;
    }
}
