using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Service;

/// <summary>
/// Plays systemd's side of sd_notify: an AF_UNIX datagram socket (a path in a temp folder, or an
/// abstract name) that records every message the agent sends.
/// </summary>
/// <remarks>
/// <see cref="FlushAsync"/> sends a marker to the socket and waits for it: datagrams queue in
/// order, so everything the agent sent before the call has been recorded when it returns. That
/// makes "no READY=1 so far" a check, not a race. Thread-safe.
/// </remarks>
internal sealed class NotifySocketListener : IDisposable
{
    private const string MarkerPrefix = "TEST-FLUSH=";

    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly string? _directory;
    private readonly WaitableLog<string> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receive;
    private int _markers;

    private NotifySocketListener(string socketPath, string notifySocketValue, string? directory)
    {
        _directory = directory;
        NotifySocket = notifySocketValue;
        _endpoint = new UnixDomainSocketEndPoint(socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(_endpoint);
        _receive = ReceiveLoopAsync();
    }

    /// <summary>The value for the agent's <c>NOTIFY_SOCKET</c>.</summary>
    public string NotifySocket { get; }

    /// <summary>The agent's messages so far, in order (flush markers left out).</summary>
    public IReadOnlyList<string> Messages => [.. _messages.Snapshot().Where(m => !m.StartsWith(MarkerPrefix, StringComparison.Ordinal))];

    public static NotifySocketListener BindPath()
    {
        string directory = Directory.CreateTempSubdirectory("tether-notify-").FullName;
        string path = Path.Combine(directory, "notify.sock");
        return new NotifySocketListener(path, path, directory);
    }

    public static NotifySocketListener BindAbstract()
    {
        string name = "tether-test-notify-" + Guid.NewGuid().ToString("N");
        return new NotifySocketListener("\0" + name, "@" + name, null);
    }

    /// <summary>Waits for a message (including earlier ones) that matches.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout, int count = 1) =>
        (await _messages.WaitAsync(match, count, 0, timeout, () => "a matching sd_notify message; got: " + Describe(), CancellationToken.None))[count - 1];

    /// <summary>Returns once every datagram sent to the socket before the call has been recorded.</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        string marker = MarkerPrefix + Interlocked.Increment(ref _markers).ToString(CultureInfo.InvariantCulture);
        using (var client = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            client.SendTo(Encoding.UTF8.GetBytes(marker), _endpoint);
        }

        await _messages.WaitAsync(m => m == marker, 1, 0, timeout, () => "the flush marker", CancellationToken.None);
    }

    /// <summary>The messages, one per line with their newlines shown, for failure messages.</summary>
    public string Describe() =>
        Messages.Count == 0 ? "(none)" : string.Join(" | ", Messages.Select(m => m.Replace("\n", "\\n", StringComparison.Ordinal)));

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receive.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the socket.
        }

        _stop.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _messages.Add(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            _messages.Close("the notify socket was closed");
        }
    }
}
