using System.Net;
using System.Net.Sockets;
using Tether.Telemetry;
using Tether.Tests.Infrastructure;

namespace Tether.Tests.Telemetry;

public sealed class LatencyProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly LatencyProbe _probe = new(TimeProvider.System);

    [Fact]
    public void Measure_ListeningLoopbackPort_ReturnsConnectTime()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        double? ms = _probe.Measure("127.0.0.1", port, Timeout, CancellationToken.None);

        Assert.NotNull(ms);
        Assert.True(ms >= 0);
        Assert.True(ms < Timeout.TotalMilliseconds);
    }

    /// <summary>A sample a second must not build and throw an exception for a connect under way.</summary>
    [Fact]
    public void Measure_ListeningLoopbackPort_ThrowsNoException()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        int thrown = FirstChanceExceptions.CountOnThisThread(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.NotNull(_probe.Measure("127.0.0.1", port, Timeout, CancellationToken.None));
            }
        });

        Assert.Equal(0, thrown);
    }

    [Fact]
    public void Measure_HostName_ResolvesThenConnects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // localhost may resolve to ::1 first, where nothing listens: the probe must go on to 127.0.0.1.
        Assert.NotNull(_probe.Measure("localhost", port, Timeout, CancellationToken.None));
    }

    [Fact]
    public void Measure_ClosedLoopbackPort_ReturnsNull()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        Assert.Null(_probe.Measure("127.0.0.1", port, Timeout, CancellationToken.None));
    }

    [Fact]
    public void Measure_UnresolvableName_ReturnsNull()
    {
        Assert.Null(_probe.Measure("no-such-host.invalid", 80, Timeout, CancellationToken.None));
    }

    [Fact]
    public void Measure_TimeoutExpires_ReturnsNullNotThrows()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.Null(_probe.Measure("127.0.0.1", port, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public void Measure_CallerCancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => _probe.Measure("127.0.0.1", 9, Timeout, cts.Token));
    }

    [Fact]
    public void Measure_AConnectThatHangs_EndsAtTheTimeout_WithNull()
    {
        using var backlog = HungListener.Start();

        Assert.Null(_probe.Measure("127.0.0.1", backlog.Port, TimeSpan.FromMilliseconds(300), CancellationToken.None));
    }

    [Fact]
    public async Task Measure_CancelledDuringAConnectThatHangs_Throws_WithoutWaitingForTheTimeout()
    {
        using var backlog = HungListener.Start();
        using var cts = new CancellationTokenSource();
        using var hour = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var measuring = Task.Run(() => _probe.Measure("127.0.0.1", backlog.Port, TimeSpan.FromHours(1), cts.Token));
        await Task.Delay(200);
        Assert.False(measuring.IsCompleted);
        await cts.CancelAsync();

        // Ends well before the hour; the minute is only a guard against a hung test run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => measuring.WaitAsync(hour.Token));
        Assert.False(hour.IsCancellationRequested);
    }

    /// <summary>
    /// A loopback listener whose accept queue is full and never drained: the kernel drops the
    /// next connection's SYN, so a connect to it neither succeeds nor fails until it gives up.
    /// </summary>
    private sealed class HungListener : IDisposable
    {
        private readonly Socket _listener;
        private readonly List<Socket> _queued = [];

        private HungListener(Socket listener) => _listener = listener;

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public static HungListener Start()
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(0);
            var hung = new HungListener(listener);

            // Backlog 0 still queues one connection; fill the queue until a connect stops completing.
            for (int i = 0; i < 8; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                hung._queued.Add(s);
                try
                {
                    s.Connect(IPAddress.Loopback, hung.Port);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                }

                if (!s.Poll(200_000, SelectMode.SelectWrite))
                {
                    return hung;
                }
            }

            hung.Dispose();
            throw new InvalidOperationException("the loopback accept queue never filled");
        }

        public void Dispose()
        {
            _queued.ForEach(s => s.Dispose());
            _listener.Dispose();
        }
    }
}
