using System.Net;
using System.Net.Sockets;
using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

public sealed class LatencyProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly LatencyProbe _probe = new(TimeProvider.System);

    [Fact]
    public async Task MeasureAsync_ListeningLoopbackPort_ReturnsConnectTime()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        double? ms = await _probe.MeasureAsync("127.0.0.1", port, Timeout, CancellationToken.None);

        Assert.NotNull(ms);
        Assert.True(ms >= 0);
        Assert.True(ms < Timeout.TotalMilliseconds);
    }

    [Fact]
    public async Task MeasureAsync_HostName_ResolvesThenConnects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // localhost may resolve to ::1 first, where nothing listens: the probe must go on to 127.0.0.1.
        Assert.NotNull(await _probe.MeasureAsync("localhost", port, Timeout, CancellationToken.None));
    }

    [Fact]
    public async Task MeasureAsync_ClosedLoopbackPort_ReturnsNull()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        Assert.Null(await _probe.MeasureAsync("127.0.0.1", port, Timeout, CancellationToken.None));
    }

    [Fact]
    public async Task MeasureAsync_UnresolvableName_ReturnsNull()
    {
        Assert.Null(await _probe.MeasureAsync("no-such-host.invalid", 80, Timeout, CancellationToken.None));
    }

    [Fact]
    public async Task MeasureAsync_TimeoutExpires_ReturnsNullNotThrows()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.Null(await _probe.MeasureAsync("127.0.0.1", port, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task MeasureAsync_CallerCancels_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _probe.MeasureAsync("127.0.0.1", 9, Timeout, cts.Token));
    }
}
