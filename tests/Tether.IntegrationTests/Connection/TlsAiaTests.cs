using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

/// <summary>
/// docs/protocol.md §2 "TLS": the agent completes a server's chain only from what the server
/// sent and from <c>caFile</c>; it never follows a certificate's AIA "CA Issuers" address. The
/// address here is a real HTTP listener serving the missing intermediate, and the test counts
/// the requests that reach it. The agent runs with a HOME of its own, so a fetched intermediate
/// the runtime would cache in the user's certificate store could not help a later test.
/// </summary>
public sealed class TlsAiaTests
{
    [Fact]
    public async Task ServerWithoutItsIntermediate_IsRefused_AndTheAiaAddressGetsNoRequest()
    {
        using var home = new TempDirectory("tether-aia-home-");
        await using var aia = new IntermediateServer();
        using var certs = TestCertificates.CreateWithIntermediate(aia.Url);
        aia.Body = certs.IntermediateCertificate!.RawData;
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("aia-refused");
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = config, Environment = new Dictionary<string, string?> { ["HOME"] = home.Path } });

        // Two whole attempts: the second one would see an intermediate cached by the first.
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).EndsWith("(attempt 3)", StringComparison.Ordinal), Waits.Event);
        var failures = agent.ReadLogRecords().Select(HandshakeTests.Message).Where(m => m.StartsWith("connection attempt failed", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count >= 2, string.Join("\n", failures));
        Assert.All(failures, f => Assert.Contains("certificate not trusted", f, StringComparison.Ordinal));
        Assert.Empty(aia.Requests);
        Assert.DoesNotContain(peer.Records, r => r.Kind == "connect");
        Assert.Empty(Directory.EnumerateFiles(home.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task IntermediateInCaFile_CompletesTheChain_WithoutAnyRequest()
    {
        using var home = new TempDirectory("tether-aia-home-");
        await using var aia = new IntermediateServer();
        using var certs = TestCertificates.CreateWithIntermediate(aia.Url);
        aia.Body = certs.IntermediateCertificate!.RawData;
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("aia-cafile");
        config["transport"] = new JsonObject { ["caFile"] = certs.CaAndIntermediatePemPath };
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = config, Environment = new Dictionary<string, string?> { ["HOME"] = home.Path } });

        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);
        Assert.Empty(aia.Requests);
    }

    /// <summary>Plain HTTP on 127.0.0.1: answers every GET with <see cref="Body"/> as a DER certificate and records the request line.</summary>
    private sealed class IntermediateServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly ConcurrentQueue<string> _requests = new();
        private readonly Task _loop;

        public IntermediateServer()
        {
            _listener.Start();
            _loop = Task.Run(AcceptLoopAsync);
        }

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/intermediate.cer");

        public byte[] Body { get; set; } = [];

        public IReadOnlyCollection<string> Requests => [.. _requests];

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _loop;
        }

        private async Task AcceptLoopAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync();
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (socket)
                {
                    var head = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int n = await socket.ReceiveAsync(buffer);
                        if (n == 0)
                        {
                            break;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }

                    _requests.Enqueue(head.ToString().Split("\r\n")[0]);
                    byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n");
                    await socket.SendAsync(answer.Concat(Body).ToArray());
                }
            }
        }
    }
}
