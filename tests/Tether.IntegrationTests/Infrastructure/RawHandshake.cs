using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>The socket.io handshake spelled out over <see cref="RawEngineIoClient"/>, for harness and protocol tests.</summary>
public static class RawHandshake
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Opens the WebSocket with the signed query and reads the engine.io open packet.</summary>
    public static async Task<RawEngineIoClient> ConnectEngineAsync(
        PeerServer peer,
        string clientId,
        long ts,
        string sig,
        System.Net.Security.RemoteCertificateValidationCallback? validate = null)
    {
        var client = await RawEngineIoClient.ConnectAsync(RawEngineIoClient.BuildUri(peer.Url, Query(clientId, ts, sig)), validate);
        await client.ReceiveUntilAsync(m => m.StartsWith('0'), Timeout);
        return client;
    }

    /// <summary>Open packet, signed CONNECT, the connect answer and (by default) hello_ack.</summary>
    public static async Task<RawEngineIoClient> HandshakeAsync(
        PeerServer peer,
        string clientId,
        bool expectHelloAck = true,
        System.Net.Security.RemoteCertificateValidationCallback? validate = null)
    {
        var ts = NowMs();
        var sig = Sign(peer.Token, clientId, ts);
        var client = await ConnectEngineAsync(peer, clientId, ts, sig, validate);
        try
        {
            var nsp = peer.Options.Namespace ?? "/agents";
            await client.SendAsync("40" + nsp + "," + AuthJson(clientId, ts, sig));
            var answer = await client.ReceiveUntilAsync(m => m.StartsWith("40", StringComparison.Ordinal) || m.StartsWith("44", StringComparison.Ordinal), Timeout);
            Assert.StartsWith("40" + nsp + ",", answer, StringComparison.Ordinal);
            if (expectHelloAck)
            {
                await client.ReceiveUntilAsync(m => m.StartsWith("42" + nsp + ",[\"hello_ack\",", StringComparison.Ordinal), Timeout);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads and drops messages until the server closes the WebSocket (10 s at most).</summary>
    public static async Task DrainUntilClosedAsync(RawEngineIoClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var cts = new CancellationTokenSource(Timeout);
        while (await client.ReceiveAsync(cts.Token) is not null)
        {
        }
    }

    /// <summary>The handshake query parameters.</summary>
    public static KeyValuePair<string, string>[] Query(string clientId, long ts, string sig) =>
    [
        new("clientId", clientId),
        new("ts", ts.ToString(CultureInfo.InvariantCulture)),
        new("sig", sig),
    ];

    /// <summary>The CONNECT packet's auth object.</summary>
    public static string AuthJson(string clientId, long ts, string sig) =>
        new JsonObject { ["clientId"] = clientId, ["ts"] = ts, ["sig"] = sig }.ToJsonString();

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>
    /// The handshake signature for a plain ASCII <paramref name="clientId"/> (letters, digits,
    /// <c>-_.</c>), for which this string is exactly <c>JSON.stringify({clientId, ts})</c>.
    /// Other ids are the agent's job (docs/protocol.md §2); the peer checks them.
    /// </summary>
    public static string Sign(string token, string clientId, long ts)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(clientId);
        if (!clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException("Only plain ASCII ids are signed here.", nameof(clientId));
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(token),
            Encoding.UTF8.GetBytes($$"""{"clientId":"{{clientId}}","ts":{{ts.ToString(CultureInfo.InvariantCulture)}}}""")));
    }
}
