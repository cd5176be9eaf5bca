using System.Buffers;
using System.Globalization;

namespace Tether.Transport;

internal sealed partial class OutboundConnection
{
    /// <summary>
    /// Writes one request and reads the response head within one phase limit; returns the head
    /// and the bytes read past it. <paramref name="phase"/> and <paramref name="peer"/> name the
    /// step in failures ("upgrade", "the server").
    /// </summary>
    public async Task<(HttpResponseHead Head, ReadOnlyMemory<byte> Extra)> ExchangeAsync(Stream stream, byte[] request, string phase, string peer, CancellationToken ct)
    {
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
    public static async Task<ReadOnlyMemory<byte>> ReadBodyExcerptAsync(Stream stream, HttpResponseHead head, ReadOnlyMemory<byte> rest, CancellationToken ct)
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
}
