using System.Globalization;
using System.Text;
using Tether.Policy;

namespace Tether.Transport;

/// <summary>
/// A plain HTTP/1.1 GET over <see cref="OutboundConnection.OpenAsync"/>, for key sync and
/// <c>tether check</c>: one connection per request (<c>Connection: close</c>), no compression,
/// bodies by Content-Length, chunked or until close, capped by the caller, and up to five
/// redirects (never from https to http). Nothing retries on its own.
/// </summary>
/// <remarks>Stateless apart from its rules; thread-safe.</remarks>
internal sealed class HttpGetClient(OutboundConnection outbound)
{
    /// <summary>Redirects followed before giving up.</summary>
    public const int MaxRedirects = 5;

    private const int MaxChunkLineBytes = 1024;

    /// <summary>GETs <paramref name="url"/>; throws <see cref="ConnectFailedException"/> (or <see cref="IOException"/>) when no answer comes.</summary>
    public async Task<HttpGetResult> GetAsync(Uri url, int maxBodyBytes, CancellationToken ct)
    {
        var body = new MemoryStream();
        var result = await GetAsync(url, maxBodyBytes, body, ct);
        return result.TooLarge ? result : result with { Body = body.ToArray() };
    }

    /// <summary>
    /// GETs <paramref name="url"/> and writes the final answer's body to <paramref name="destination"/>
    /// as it arrives (a release file need not fit in memory); the result's Body is empty. When
    /// TooLarge, part of a body may have been written. Throws like the other overload.
    /// </summary>
    public async Task<HttpGetResult> GetAsync(Uri url, long maxBodyBytes, Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(destination);
        Uri current = url;
        for (int redirects = 0; ; redirects++)
        {
            await using Stream stream = await outbound.OpenAsync(current, ct);
            var (head, extra) = await outbound.ExchangeAsync(stream, BuildRequest(current), "request", "server", ct);
            if (head.Status is 301 or 302 or 303 or 307 or 308 && head["Location"] is { } location)
            {
                if (redirects == MaxRedirects)
                {
                    throw new ConnectFailedException($"request: more than {MaxRedirects} redirects from {url}");
                }

                if (!Uri.TryCreate(current, location, out var next) || next.Scheme is not ("http" or "https"))
                {
                    throw new ConnectFailedException($"request: {current} redirects to an unusable address '{TextChecks.ForDisplay(location, 100)}'");
                }

                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
                {
                    throw new ConnectFailedException($"request: {current} redirects from https to http ({next}); refused");
                }

                current = next;
                continue;
            }

            var reader = new BufferedReader(extra, stream);
            bool tooLarge = await CopyBodyAsync(reader, head, maxBodyBytes, destination, ct);
            return new HttpGetResult(head, [], tooLarge, current);
        }
    }

    internal static byte[] BuildRequest(Uri url)
    {
        return Encoding.ASCII.GetBytes(
            $"GET {url.PathAndQuery} HTTP/1.1\r\n" +
            $"Host: {HostNames.HostHeader(url)}\r\n" +
            $"User-Agent: {OutboundConnection.UserAgent}\r\n" +
            "Accept: */*\r\n" +
            "Connection: close\r\n" +
            "\r\n");
    }

    internal static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(BufferedReader reader, HttpResponseHead head, int maxBodyBytes, CancellationToken ct)
    {
        var body = new MemoryStream();
        return await CopyBodyAsync(reader, head, maxBodyBytes, body, ct) ? ([], true) : (body.ToArray(), false);
    }

    /// <summary>Copies the body to <paramref name="destination"/>; true (and stops reading) when it is larger than <paramref name="maxBodyBytes"/>.</summary>
    internal static async Task<bool> CopyBodyAsync(BufferedReader reader, HttpResponseHead head, long maxBodyBytes, Stream destination, CancellationToken ct)
    {
        if (head.HasToken("Transfer-Encoding", "chunked"))
        {
            long total = 0;
            while (true)
            {
                string line = await reader.ReadLineAsync(MaxChunkLineBytes, ct);
                string sizeText = line.Split(';', 2)[0].Trim();
                if (!long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
                {
                    throw new IOException($"malformed chunk size '{TextChecks.ForDisplay(line, 40)}'");
                }

                if (size == 0)
                {
                    return false;
                }

                if (total + size > maxBodyBytes)
                {
                    return true;
                }

                await reader.CopyToAsync(destination, size, ct);
                total += size;
                if ((await reader.ReadLineAsync(MaxChunkLineBytes, ct)).Length != 0)
                {
                    throw new IOException("malformed chunk: no line end after its data");
                }
            }
        }

        if (head["Content-Length"] is { } lengthText)
        {
            if (!long.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            {
                throw new IOException($"malformed Content-Length '{TextChecks.ForDisplay(lengthText, 40)}'");
            }

            if (length > maxBodyBytes)
            {
                return true;
            }

            await reader.CopyToAsync(destination, length, ct);
            return false;
        }

        // No length: the body ends when the server closes (we asked for Connection: close).
        return !await reader.CopyUntilEndAsync(destination, maxBodyBytes + 1L, ct);
    }

    /// <summary>Reads lines and counted bytes from the bytes already read plus the stream.</summary>
    internal sealed class BufferedReader(ReadOnlyMemory<byte> extra, Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private ReadOnlyMemory<byte> _pending = extra;

        /// <summary>One CRLF- (or LF-) ended ASCII line without its end; throws past <paramref name="max"/> bytes or at the end of the stream.</summary>
        public async Task<string> ReadLineAsync(int max, CancellationToken ct)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_pending.IsEmpty && !await FillAsync(ct))
                {
                    throw new IOException("the server closed the connection in the middle of the body");
                }

                int newline = _pending.Span.IndexOf((byte)'\n');
                int take = newline < 0 ? _pending.Length : newline;
                line.Append(Encoding.Latin1.GetString(_pending.Span[..take]));
                if (line.Length > max)
                {
                    throw new IOException("a chunk line is too long");
                }

                if (newline >= 0)
                {
                    _pending = _pending[(newline + 1)..];
                    return line.ToString().TrimEnd('\r');
                }

                _pending = ReadOnlyMemory<byte>.Empty;
            }
        }

        /// <summary>Copies exactly <paramref name="count"/> bytes; throws when the stream ends first.</summary>
        public async Task CopyToAsync(Stream destination, long count, CancellationToken ct)
        {
            while (count > 0)
            {
                if (_pending.IsEmpty && !await FillAsync(ct))
                {
                    throw new IOException("the server closed the connection in the middle of the body");
                }

                int take = (int)Math.Min(count, _pending.Length);
                destination.Write(_pending.Span[..take]);
                _pending = _pending[take..];
                count -= take;
            }
        }

        /// <summary>Copies until the stream ends; false (and stops reading) once more than <paramref name="limit"/> - 1 bytes came.</summary>
        public async Task<bool> CopyUntilEndAsync(Stream destination, long limit, CancellationToken ct)
        {
            long total = 0;
            while (true)
            {
                if (_pending.IsEmpty && !await FillAsync(ct))
                {
                    return true;
                }

                total += _pending.Length;
                if (total >= limit)
                {
                    return false;
                }

                destination.Write(_pending.Span);
                _pending = ReadOnlyMemory<byte>.Empty;
            }
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            int n = await stream.ReadAsync(_buffer, ct);
            _pending = _buffer.AsMemory(0, n);
            return n > 0;
        }
    }
}
