using System.Globalization;
using Tether.Config;
using Tether.Transport;

namespace Tether.Keys;

/// <summary>
/// GETs <c>&lt;keys.baseUrl&gt;/&lt;user&gt;.keys</c> over the connection's TLS and proxy rules
/// (docs/protocol.md §2, §6) with a time limit and a body cap; up to five redirects. Failures are
/// values with a message fit for the dashboard. Thread-safe: no state per request.
/// </summary>
internal sealed class KeysFetcher
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public const int DefaultMaxBodyBytes = 1024 * 1024;

    private readonly HttpGetClient _client;
    private readonly KeysSettings _settings;
    private readonly TimeSpan _timeout;
    private readonly int _maxBodyBytes;

    public KeysFetcher(AgentConfig config, TimeSpan timeout, int maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        _settings = config.Keys;
        _timeout = timeout;
        _maxBodyBytes = maxBodyBytes;
        // The fetch as a whole has the time limit, so no phase may cut it shorter.
        _client = new HttpGetClient(new OutboundConnection(config.Transport.CaFile, config.Transport.SkipTlsVerify, config.Proxy.ProxyFor, timeout));
    }

    /// <summary>The body as text, or an error; <paramref name="ct"/> is the agent's shutdown.</summary>
    public async Task<(string? Body, string? Error)> FetchAsync(string user, CancellationToken ct)
    {
        var url = _settings.KeysUrl(user);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        try
        {
            var response = await _client.GetAsync(url, _maxBodyBytes, timeout.Token);
            if (response.Head.Status is < 200 or > 299)
            {
                return (null, $"{url} answered HTTP {response.Head.Status.ToString(CultureInfo.InvariantCulture)} {response.Head.Reason}");
            }

            if (response.TooLarge)
            {
                return (null, TooLarge(url));
            }

            return (System.Text.Encoding.UTF8.GetString(response.Body), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"{url} did not answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (OperationCanceledException)
        {
            return (null, "agent shutting down");
        }
        catch (IOException e)
        {
            return (null, $"{url}: {e.Message}");
        }
    }

    private string TooLarge(Uri url) =>
        $"{url}: response larger than {_maxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes; ignored";
}
