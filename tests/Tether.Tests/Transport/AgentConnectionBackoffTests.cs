using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tether.Protocol;
using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class AgentConnectionBackoffTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_AgainstARefusingPort_WaitsOneTwoFourEightSixteenThenThirtySeconds_WithFreshSignatures()
    {
        int port = ClosedLoopbackPort();
        var time = new TimerRecordingTimeProvider();
        var connection = new AgentConnection(
            new ConnectionOptions { ServerUri = new Uri($"http://127.0.0.1:{port}"), ClientId = "agent", AuthToken = "token" },
            new EventDispatcher(NullLogger<EventDispatcher>.Instance),
            new Outbox(NullLogger<Outbox>.Instance),
            new EventFrameEncoder("/agents"),
            time,
            new ReconnectBackoff(() => 0.5),
            NullLogger<AgentConnection>.Instance);
        using var cts = new CancellationTokenSource();
        Task run = connection.RunAsync(TimeSpan.FromSeconds(1), cts.Token);

        int[] expected = [1, 2, 4, 8, 16, 30, 30];
        for (int i = 0; i < expected.Length; i++)
        {
            TimeSpan delay = await time.NextTimerAsync(Deadline);
            Assert.Equal(TimeSpan.FromSeconds(expected[i]), delay);
            Assert.Equal(i + 1, connection.Attempts);

            // Nothing happens a millisecond early; the next attempt starts when the delay is over.
            time.Advance(delay - TimeSpan.FromMilliseconds(1));
            Assert.Equal(i + 1, connection.Attempts);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await time.NextTimerAsync(Deadline);
        Assert.Equal(expected.Length + 1, connection.Attempts);
        await cts.CancelAsync();
        await run.WaitAsync(Deadline);
    }

    [Fact]
    public async Task RunAsync_AnAttemptFailingWithAnUnforeseenExceptionType_IsRetried()
    {
        // An SSPI status that SslStream passes on as a Win32Exception (seen under Wine) once ended
        // the loop: the agent stayed offline without a word. Here the proxy lookup throws it.
        var time = new TimerRecordingTimeProvider();
        var connection = new AgentConnection(
            new ConnectionOptions
            {
                ServerUri = new Uri("https://127.0.0.1:9"),
                ClientId = "agent",
                AuthToken = "token",
                ProxyFor = static _ => throw new System.ComponentModel.Win32Exception(unchecked((int)0x80090302)),
            },
            new EventDispatcher(NullLogger<EventDispatcher>.Instance),
            new Outbox(NullLogger<Outbox>.Instance),
            new EventFrameEncoder("/agents"),
            time,
            new ReconnectBackoff(() => 0.5),
            NullLogger<AgentConnection>.Instance);
        using var cts = new CancellationTokenSource();
        Task run = connection.RunAsync(TimeSpan.FromSeconds(1), cts.Token);

        TimeSpan delay = await time.NextTimerAsync(Deadline);
        Assert.Equal(1, connection.Attempts);
        time.Advance(delay);
        await time.NextTimerAsync(Deadline);
        Assert.Equal(2, connection.Attempts);
        Assert.False(run.IsCompleted);
        await cts.CancelAsync();
        await run.WaitAsync(Deadline);
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A fake clock that lets a test wait until the code under test armed its next timer.</summary>
    private sealed class TimerRecordingTimeProvider : FakeTimeProvider
    {
        private readonly BlockingCollection<TimeSpan> _armed = new();

        public TimerRecordingTimeProvider()
            : base(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero))
        {
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            ITimer timer = base.CreateTimer(callback, state, dueTime, period);
            _armed.Add(dueTime);
            return timer;
        }

        public Task<TimeSpan> NextTimerAsync(TimeSpan deadline) =>
            Task.Run(() => _armed.TryTake(out var due, deadline) ? due : throw new TimeoutException("no timer was armed"));
    }
}
