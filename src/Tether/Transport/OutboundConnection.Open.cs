using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tether.Transport;

internal sealed partial class OutboundConnection
{
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
                addresses = await _resolve(host, resolveCts.Token);
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
            Socket? socket = null;
            using var connectCts = Limit(ct);
            try
            {
                // Inside the try: a host without IPv6 refuses the socket itself, which is one more
                // address that did not work, not a reason to stop the attempt.
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
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
                socket?.Dispose();
                throw;
            }

            socket?.Dispose();
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
            // docs/protocol.md §2 "TLS": the chain is checked with what the server sent and the
            // trust stores, never with certificates fetched from an AIA address.
            CertificateChainPolicy = TlsPolicy.NewChainPolicy(),
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                seen = errors | TlsPolicy.ChainErrors(chain);
                outOfDate = chain?.ChainStatus.Any(static s => s.Status == X509ChainStatusFlags.NotTimeValid) ?? false;
                return CertificateValidation(sender, certificate, chain, errors);
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
        // Win32Exception: an SSPI status SslStream passes on unwrapped (Wine's Schannel answers the
        // alert after a refused certificate with SEC_E_UNSUPPORTED_FUNCTION).
        catch (Exception ex) when (ex is AuthenticationException or IOException or Win32Exception)
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
        string authority = HostNames.Authority(target);
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
        var (head, rest) = await ExchangeAsync(stream, Encoding.ASCII.GetBytes(request.ToString()), "proxy", "proxy", ct);
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

    private CancellationTokenSource Limit(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_phaseTimeout);
        return cts;
    }

    private string Seconds() => _phaseTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
