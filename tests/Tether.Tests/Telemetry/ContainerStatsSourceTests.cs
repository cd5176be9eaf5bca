using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Tether.Platform.HostStats;
using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

/// <summary>
/// The engine client over real Unix sockets: a missing socket, a socket that accepts and never
/// answers, and a small engine that serves captured Podman answers.
/// </summary>
public sealed class ContainerStatsSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-engine-");
    private readonly CapturingLogger<ContainerStatsSource> _log = new();

    [Fact]
    public async Task MissingSocket_LeavesContainersOut_AndLogsOneInfoLine()
    {
        var source = new ContainerStatsSource([new ContainerEngineSocket(_dir.Join("docker.sock"), false)], TimeProvider.System, _log);

        Assert.Null(await source.SampleAsync(CancellationToken.None));
        Assert.Null(await source.SampleAsync(CancellationToken.None));

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("No container engine socket found", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppedDaemon_SocketFileLeftBehind_OneWarningThenOneInfoWhenItAnswersAgain()
    {
        string path = _dir.Join("stopped.sock");
        // A daemon that died leaves its socket file; .NET removes the files it binds, Python does not.
        using (var python = System.Diagnostics.Process.Start("python3", ["-c", "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)", path]))
        {
            await python.WaitForExitAsync();
            Assert.Equal(0, python.ExitCode);
        }

        Assert.True(File.Exists(path));
        var source = new ContainerStatsSource([new ContainerEngineSocket(path, false)], TimeProvider.System, _log);

        Assert.Null(await source.SampleAsync(CancellationToken.None));
        Assert.Null(await source.SampleAsync(CancellationToken.None));

        var warning = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("is not answering", warning.Message, StringComparison.Ordinal);

        // The daemon comes back on the same path.
        File.Delete(path);
        await using var engine = CannedEngine.Start(path, _ => "[]");
        Assert.Empty((await source.SampleAsync(CancellationToken.None))!);
        Assert.Equal(LogLevel.Information, _log.Entries[^1].Level);
        Assert.Equal(2, _log.Entries.Count);
    }

    [Fact]
    public async Task SocketThatNeverAnswers_SampleCompletesWhileTheCallIsStillOpen()
    {
        string path = _dir.Join("hung.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        var accepted = new List<Socket>();
        var acceptLoop = Task.Run(async () =>
        {
            while (true)
            {
                Socket s;
                try
                {
                    s = await listener.AcceptAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                lock (accepted)
                {
                    accepted.Add(s);
                }
            }
        });
        var source = new ContainerStatsSource([new ContainerEngineSocket(path, false)], TimeProvider.System, _log);

        var result = await source.SampleAsync(CancellationToken.None);

        Assert.Null(result);
        // The engine side never answered and never closed: the sample ended on its own time limit.
        Socket hung;
        lock (accepted)
        {
            hung = accepted.Last();
        }

        var buffer = new byte[4096];
        int got = hung.Receive(buffer);
        Assert.StartsWith("GET /containers/json HTTP/1.1", Encoding.ASCII.GetString(buffer, 0, got), StringComparison.Ordinal);
        Assert.True(hung.Connected);
        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("not answering", warning.Message, StringComparison.Ordinal);

        listener.Close();
        lock (accepted)
        {
            accepted.ForEach(s => s.Dispose());
        }

        await acceptLoop;
    }

    [Fact]
    public async Task CapturedPodmanAnswers_TwoSamples_CpuAndRatesFromThePreviousSample()
    {
        string path = _dir.Join("engine.sock");
        string fixtures = Path.Join(AppContext.BaseDirectory, "Platform", "HostStats", "Fixtures");
        int statsCalls = 0;
        await using var engine = CannedEngine.Start(path, request =>
        {
            if (request.StartsWith("GET /containers/json", StringComparison.Ordinal))
            {
                return File.ReadAllText(Path.Join(fixtures, "podman-containers-json.json"));
            }

            // Chunked like Podman's real stats answer; the first call gets the first capture.
            return Interlocked.Increment(ref statsCalls) == 1
                ? File.ReadAllText(Path.Join(fixtures, "podman-stats-1.json"))
                : File.ReadAllText(Path.Join(fixtures, "podman-stats-2.json"));
        });
        var source = new ContainerStatsSource([new ContainerEngineSocket(path, false)], TimeProvider.System, _log);

        var first = Assert.Single((await source.SampleAsync(CancellationToken.None))!);
        var second = Assert.Single((await source.SampleAsync(CancellationToken.None))!);

        Assert.Equal("63b39410ec23", first.Id);
        Assert.Equal("tburn", first.Name);
        Assert.Equal("localhost/tbusybox:1", first.Image);
        Assert.Equal("running", first.State);
        Assert.Equal(0, first.CpuPercent);
        Assert.Equal(241664UL, first.MemBytes);
        Assert.InRange(second.CpuPercent, 30, 110);
        Assert.Equal(25276203008UL, second.MemLimitBytes);
        Assert.Contains(_log.Entries, e => e.Message.Contains("answers: 1 running containers", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A minimal engine: answers each GET with a chunked JSON body, then closes.</summary>
    private sealed class CannedEngine : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly Task _loop;

        private CannedEngine(Socket listener, Func<string, string> answer)
        {
            _listener = listener;
            _loop = Task.Run(async () =>
            {
                while (true)
                {
                    Socket client;
                    try
                    {
                        client = await _listener.AcceptAsync();
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException)
                    {
                        return;
                    }

                    using (client)
                    {
                        var buffer = new byte[8192];
                        int got = await client.ReceiveAsync(buffer);
                        if (got == 0)
                        {
                            // The client's probe: connect and close.
                            continue;
                        }

                        byte[] body = Encoding.UTF8.GetBytes(answer(Encoding.ASCII.GetString(buffer, 0, got)));
                        var response = new MemoryStream();
                        response.Write(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
                        response.Write(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"));
                        response.Write(body);
                        response.Write("\r\n0\r\n\r\n"u8);
                        await client.SendAsync(response.ToArray());
                        client.Shutdown(SocketShutdown.Both);
                    }
                }
            });
        }

        public static CannedEngine Start(string path, Func<string, string> answer)
        {
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(16);
            return new CannedEngine(listener, answer);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            await _loop;
        }
    }
}
