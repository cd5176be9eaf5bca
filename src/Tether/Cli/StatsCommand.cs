using System.Text.Json;
using Tether.Config;
using Tether.Platform.HostStats;
using Tether.Telemetry;

namespace Tether.Cli;

/// <summary><c>tether stats</c>: one telemetry sample as JSON, the <c>data</c> object of a <c>stats</c> event.</summary>
internal static class StatsCommand
{
    /// <param name="error">Where notes go on why a member is missing (e.g. no permission on the container engine's socket).</param>
    public static async Task<int> ExecuteAsync(TextWriter output, TextWriter error, CancellationToken ct)
    {
        var collector = new StatsCollector(HostStatsFactory.Create(), TimeProvider.System, AgentInfo.Version);
        var containers = new ContainerStatsSource(
            ContainerEngineSocket.Candidates(Environment.GetEnvironmentVariable("DOCKER_HOST")), TimeProvider.System, new NoteLogger(error));
        collector.Sample(null);
        await containers.SampleAsync(ct);
        // CPU %, disk, network and container rates are deltas: a short second look makes them current, not since boot.
        await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        IReadOnlyList<ContainerStats>? containerStats = await containers.SampleAsync(ct);
        StatsData data = collector.Sample(null) with { Containers = containerStats };
        var options = new JsonSerializerOptions(TelemetryJsonContext.Default.Options) { WriteIndented = true };
        await output.WriteLineAsync(JsonSerializer.Serialize(data, options.GetTypeInfo(typeof(StatsData))).AsMemory(), ct);
        return 0;
    }
}
