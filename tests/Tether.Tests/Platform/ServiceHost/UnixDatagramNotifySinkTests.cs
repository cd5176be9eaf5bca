using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Platform.ServiceHost;
using Tether.Service;

namespace Tether.Tests.Platform.ServiceHost;

public sealed class UnixDatagramNotifySinkTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TrySend_ToAPathSocket_DeliversOneDatagramPerMessage()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var dir = new TempDirectory("tether-notify-");
        string path = dir.Join("notify.sock");
        using var server = Bind(path);
        using var sink = new UnixDatagramNotifySink(path);

        Assert.True(sink.TrySend("READY=1\nSTATUS=connected to h", out _));
        Assert.True(sink.TrySend("WATCHDOG=1", out _));
        Assert.Equal("READY=1\nSTATUS=connected to h", await ReceiveAsync(server));
        Assert.Equal("WATCHDOG=1", await ReceiveAsync(server));
    }

    [Fact]
    public async Task TrySend_ToAnAbstractName_FromNotifySocketsAtForm_Arrives()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string name = "@tether-test-" + Guid.NewGuid().ToString("N");
        Assert.True(NotifySocketAddress.TryParse(name, out string? socketPath, out _));
        using var server = Bind(socketPath!);
        using var sink = new UnixDatagramNotifySink(socketPath!);

        Assert.True(sink.TrySend("STOPPING=1", out _));
        Assert.Equal("STOPPING=1", await ReceiveAsync(server));
    }

    [Fact]
    public void TrySend_NobodyListens_ReturnsTheReasonInsteadOfThrowing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var sink = new UnixDatagramNotifySink(Path.Combine(Path.GetTempPath(), "tether-no-such-" + Guid.NewGuid().ToString("N") + ".sock"));
        Assert.False(sink.TrySend("READY=1", out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void FromEnvironment_TakesTheVariablesAway_SoChildrenDoNotInheritThem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The only test that touches these variables of the test process.
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", "@tether-test-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "20000000");
        Environment.SetEnvironmentVariable("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var notifier = SystemdNotifier.FromEnvironment(new Uri("https://dash.example.com/x?sig=secret"), TimeProvider.System, NullLoggerFactory.Instance);

        Assert.NotNull(notifier);
        Assert.Null(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));
        Assert.Null(Environment.GetEnvironmentVariable("WATCHDOG_USEC"));
        Assert.Null(Environment.GetEnvironmentVariable("WATCHDOG_PID"));
        Assert.DoesNotContain("NOTIFY_SOCKET", new System.Diagnostics.ProcessStartInfo().Environment.Keys);
    }

    private static Socket Bind(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        return socket;
    }

    private static async Task<string> ReceiveAsync(Socket server)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Deadline);
        int n = await server.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
