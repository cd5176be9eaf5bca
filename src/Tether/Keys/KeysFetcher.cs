using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tether.Config;
using Tether.Transport;

namespace Tether.Keys;

/// <summary>
/// GETs <c>&lt;keys.baseUrl&gt;/&lt;user&gt;.keys</c> with the connection's TLS and proxy rules
/// (docs/protocol.md §2, §6), a timeout and a body cap enforced while streaming. Failures are values with
/// a message fit for the dashboard. Thread-safe: one shared <see cref="HttpClient"/>.
/// </summary>
internal sealed class KeysFetcher : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public const int DefaultMaxBodyBytes = 1024 * 1024;

    private readonly HttpClient _client;
    private readonly KeysSettings _settings;
    private readonly TimeSpan _timeout;
    private readonly int _maxBodyBytes;

    public KeysFetcher(AgentConfig config, TimeSpan timeout, int maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        _settings = config.Keys;
        _timeout = timeout;
        _maxBodyBytes = maxBodyBytes;
        var handler = OutboundConnection.For(config).CreateHttpHandler(config.Keys.BaseUrl);
        handler.AllowAutoRedirect = true;
        handler.MaxAutomaticRedirections = 5;
        handler.AutomaticDecompression = DecompressionMethods.None;
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(OutboundConnection.UserAgent);
    }

    /// <summary>The body as text, or an error; <paramref name="ct"/> is the agent's shutdown.</summary>
    public async Task<(string? Body, string? Error)> FetchAsync(string user, CancellationToken ct)
    {
        var url = _settings.KeysUrl(user);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{url} answered HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > _maxBodyBytes)
            {
                return (null, TooLarge(url));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[_maxBodyBytes + 1];
            var total = 0;
            int n;
            while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token)) > 0)
            {
                total += n;
            }

            if (total > _maxBodyBytes)
            {
                return (null, TooLarge(url));
            }

            return (System.Text.Encoding.UTF8.GetString(buffer, 0, total), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"{url} did not answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (OperationCanceledException)
        {
            return (null, "agent shutting down");
        }
        catch (HttpRequestException e)
        {
            return (null, $"{url}: {Describe(e)}");
        }
        catch (IOException e)
        {
            return (null, $"{url}: {e.Message}");
        }
    }

    public void Dispose() => _client.Dispose();

    private string TooLarge(Uri url) =>
        $"{url}: response larger than {_maxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes; ignored";

    private static string Describe(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " " + inner.Message;
        }

        return message;
    }
}
