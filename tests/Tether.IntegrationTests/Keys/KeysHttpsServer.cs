using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tether.IntegrationTests.Keys;

/// <summary>
/// A minimal HTTPS/1.1 server on 127.0.0.1 for key sync tests: answers GET paths from a table
/// (status and body, or a stall, or a large body without Content-Length) and counts requests.
/// Every connection ends when the server is disposed.
/// </summary>
internal sealed class KeysHttpsServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentQueue<string> _requests = new();

    private KeysHttpsServer(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Path → response. A response with <see cref="Response.Stall"/> never answers; one with <see cref="Response.StallAfter"/> stops in the middle of the body.</summary>
    public ConcurrentDictionary<string, Response> Routes { get; } = new(StringComparer.Ordinal);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BaseUrl => $"https://127.0.0.1:{Port}";

    public IReadOnlyCollection<string> Requests => [.. _requests];

    public static KeysHttpsServer Start(string certPemPath, string keyPemPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certPemPath, keyPemPath);
        // A PFX round trip gives SslStream a certificate whose key it can use on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        return new KeysHttpsServer(certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(10));
        _certificate.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _connections.Add(HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                var path = await ReadRequestPathAsync(tls, _stop.Token);
                if (path is null)
                {
                    return;
                }

                _requests.Enqueue(path);
                var response = Routes.TryGetValue(path, out var r) ? r : new Response(404, "not found\n");
                if (response.Stall)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                var head = new StringBuilder()
                    .Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(response.Status == 200 ? "OK" : "Error").Append("\r\n")
                    .Append("Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n");
                if (!response.OmitContentLength)
                {
                    head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n");
                }

                head.Append("\r\n");
                await tls.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                int end = response.StallAfter ?? response.Body.Length;
                for (var offset = 0; offset < end; offset += 64 * 1024)
                {
                    await tls.WriteAsync(response.Body.AsMemory(offset, Math.Min(64 * 1024, end - offset)), _stop.Token);
                }

                await tls.FlushAsync(_stop.Token);
                if (response.StallAfter is not null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The client went away (it aborts oversized bodies) or the server is stopping.
            }
        }
    }

    private static async Task<string?> ReadRequestPathAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (n == 0)
            {
                return null;
            }

            length += n;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var requestLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
                return requestLine.Length >= 2 ? requestLine[1] : null;
            }
        }

        return null;
    }

    /// <param name="StallAfter">Sends the head (with the whole Content-Length) and this many bytes of the body, then nothing more.</param>
    internal sealed record Response(int Status, byte[] Body, bool Stall = false, bool OmitContentLength = false, int? StallAfter = null)
    {
        public Response(int status, string body)
            : this(status, Encoding.UTF8.GetBytes(body))
        {
        }
    }
}
