using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tether.Transport;

/// <summary>
/// Opens the agent's WebSocket with nothing retrying behind its back (docs/protocol.md §2):
/// resolve → TCP (each address once, in the resolver's order) → optional proxy CONNECT →
/// TLS → one HTTP/1.1 upgrade request written here → the 101 checked → frames by
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>. Each phase has
/// its own time limit and fails with a <see cref="ConnectFailedException"/> that names it.
/// </summary>
/// <remarks>Stateless apart from its rules; thread-safe.</remarks>
internal sealed class WebSocketConnector(OutboundConnection rules, TimeSpan phaseTimeout)
{
    private const int BodyExcerptBytes = 200;

    /// <summary>Connects to <paramref name="target"/> (ws:// or wss://, signed query included) and returns the open WebSocket.</summary>
    public async Task<WebSocket> ConnectAsync(Uri target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        Uri? proxy = rules.ProxyUriFor(target);
        Stream? stream = null;
        try
        {
            if (proxy is null)
            {
                stream = await OpenTcpAsync(target.IdnHost.Trim('[', ']'), target.Port, "server", ct);
            }
            else
            {
                stream = await OpenTcpAsync(proxy.IdnHost.Trim('[', ']'), proxy.Port, "proxy", ct);
                if (proxy.Scheme == Uri.UriSchemeHttps)
                {
                    stream = await AuthenticateAsync(stream, proxy.IdnHost.Trim('[', ']'), "proxy TLS", ct);
                }

                stream = await ProxyConnectAsync(stream, target, proxy, ct);
            }

            if (target.Scheme == "wss")
            {
                stream = await AuthenticateAsync(stream, target.IdnHost.Trim('[', ']'), "TLS", ct);
            }

            stream = await UpgradeAsync(stream, target, ct);
            return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            throw;
        }
    }

    private async Task<Stream> OpenTcpAsync(string host, int port, string what, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var resolveCts = Limit(ct);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, resolveCts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new ConnectFailedException($"resolve: no answer for {host} within {Seconds()}");
            }
            catch (SocketException ex)
            {
                throw new ConnectFailedException($"resolve: {host}: {ex.Message}", ex);
            }

            if (addresses.Length == 0)
            {
                throw new ConnectFailedException($"resolve: {host} has no address");
            }
        }

        var failures = new List<string>(addresses.Length);
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var connectCts = Limit(ct);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), connectCts.Token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                failures.Add($"{address}: no answer within {Seconds()}");
            }
            catch (SocketException ex)
            {
                failures.Add($"{address}: {ex.Message}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            socket.Dispose();
        }

        string endpoint = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        throw new ConnectFailedException($"TCP: cannot reach the {what} {endpoint} ({string.Join("; ", failures)})");
    }

    private async Task<Stream> AuthenticateAsync(Stream inner, string host, string phase, CancellationToken ct)
    {
        SslPolicyErrors seen = SslPolicyErrors.None;
        bool outOfDate = false;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                seen = errors;
                outOfDate = chain?.ChainStatus.Any(static s => s.Status == X509ChainStatusFlags.NotTimeValid) ?? false;
                return rules.CertificateValidation(sender, certificate, chain, errors);
            },
        };
        using var tlsCts = Limit(ct);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, tlsCts.Token);
            return ssl;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await ssl.DisposeAsync();
            throw new ConnectFailedException($"{phase}: no handshake from {host} within {Seconds()}");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            string reason = seen.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? $"the certificate does not name {host}"
                : outOfDate ? "the certificate has expired or is not valid yet"
                : seen.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) ? "certificate not trusted (caFile?)"
                : seen.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) ? "the server sent no certificate"
                : ex.Message;
            throw new ConnectFailedException($"{phase}: {reason}", ex);
        }
    }

    private async Task<Stream> ProxyConnectAsync(Stream stream, Uri target, Uri proxy, CancellationToken ct)
    {
        string authority = WebSocketHandshake.HostLiteral(target) + ":" + target.Port.ToString(CultureInfo.InvariantCulture);
        var request = new StringBuilder(256)
            .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(authority).Append("\r\n")
            .Append("User-Agent: ").Append(OutboundConnection.UserAgent).Append("\r\n");
        if (!string.IsNullOrEmpty(proxy.UserInfo))
        {
            string[] parts = proxy.UserInfo.Split(':', 2);
            string credentials = Uri.UnescapeDataString(parts[0]) + ":" + (parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            request.Append("Proxy-Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))).Append("\r\n");
        }

        request.Append("\r\n");
        var (head, rest) = await ExchangeAsync(stream, Encoding.ASCII.GetBytes(request.ToString()), "proxy", ct);
        if (head.Status is >= 200 and <= 299)
        {
            return rest.IsEmpty ? stream : new PrefixedStream(rest, stream);
        }

        throw new ConnectFailedException(head.Status == 407
            ? string.IsNullOrEmpty(proxy.UserInfo)
                ? "proxy answered 407: credentials (the proxy wants a user and password: http://user:password@proxy:port)"
                : "proxy answered 407: credentials (the user or password in the proxy URL is refused)"
            : $"proxy answered {head.StatusLine} to CONNECT {authority}");
    }

    private async Task<Stream> UpgradeAsync(Stream stream, Uri target, CancellationToken ct)
    {
        string key = WebSocketHandshake.NewKey();
        var (head, rest) = await ExchangeAsync(stream, WebSocketHandshake.BuildRequest(target, key, OutboundConnection.UserAgent), "server", ct);
        if (head.Status != 101 && head.Status >= 400 && rest.Length < BodyExcerptBytes)
        {
            rest = await ReadBodyExcerptAsync(stream, head, rest, ct);
        }

        if (WebSocketHandshake.Check(head, key, rest.Span) is { } refusal)
        {
            throw new ConnectFailedException("upgrade: " + refusal);
        }

        return rest.IsEmpty ? stream : new PrefixedStream(rest, stream);
    }

    /// <summary>Writes one request and reads the response head, within one phase limit; returns the head and the bytes read past it.</summary>
    private async Task<(HttpResponseHead Head, ReadOnlyMemory<byte> Extra)> ExchangeAsync(Stream stream, byte[] request, string peer, CancellationToken ct)
    {
        string phase = peer == "proxy" ? "proxy" : "upgrade";
        using var cts = Limit(ct);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(HttpResponseHead.MaxBytes);
        try
        {
            await stream.WriteAsync(request, cts.Token);
            await stream.FlushAsync(cts.Token);
            int filled = 0;
            while (true)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(filled, HttpResponseHead.MaxBytes - filled), cts.Token);
                if (n == 0)
                {
                    throw new ConnectFailedException(filled == 0
                        ? $"{phase}: the {peer} closed the connection without answering (restarting?)"
                        : $"{phase}: the {peer} closed the connection in the middle of its answer");
                }

                filled += n;
                int end = HttpResponseHead.FindEnd(buffer.AsSpan(0, filled));
                if (end > 0)
                {
                    if (!HttpResponseHead.TryParse(buffer.AsSpan(0, end), out var head, out string error))
                    {
                        throw new ConnectFailedException($"{phase}: {error}");
                    }

                    return (head!, buffer.AsSpan(end, filled - end).ToArray());
                }

                if (filled == HttpResponseHead.MaxBytes)
                {
                    throw new ConnectFailedException($"{phase}: the {peer}'s answer has no end of headers in {HttpResponseHead.MaxBytes} bytes");
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ConnectFailedException($"{phase}: no answer from the {peer} within {Seconds()}");
        }
        catch (IOException ex) when (ex is not ConnectFailedException)
        {
            throw new ConnectFailedException($"{phase}: the connection to the {peer} broke: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Up to 200 bytes of an error body for the log, waiting at most a second for them; never fails.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyExcerptAsync(Stream stream, HttpResponseHead head, ReadOnlyMemory<byte> rest, CancellationToken ct)
    {
        int wanted = int.TryParse(head["Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            ? Math.Min(length, BodyExcerptBytes)
            : BodyExcerptBytes;
        if (rest.Length >= wanted)
        {
            return rest;
        }

        byte[] body = new byte[wanted];
        rest.CopyTo(body);
        int filled = rest.Length;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            while (filled < wanted)
            {
                int n = await stream.ReadAsync(body.AsMemory(filled), cts.Token);
                if (n == 0)
                {
                    break;
                }

                filled += n;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }

        return body.AsMemory(0, filled);
    }

    private CancellationTokenSource Limit(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(phaseTimeout);
        return cts;
    }

    private string Seconds() => phaseTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
