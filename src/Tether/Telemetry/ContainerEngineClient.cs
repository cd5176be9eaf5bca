using System.Text;
using Tether.Platform.HostStats;
using Tether.Transport;

namespace Tether.Telemetry;

/// <summary>
/// HTTP/1.1 GETs to a container engine's API over its socket: one connection per request
/// (<c>Connection: close</c>), bodies by length, chunked or until close, capped at
/// <see cref="MaxBodyBytes"/>. The caller's token bounds each call.
/// </summary>
/// <remarks>Stateless; thread-safe, so calls may run in parallel.</remarks>
internal sealed class ContainerEngineClient(ContainerEngineSocket socket)
{
    /// <summary>A list of a few thousand containers fits; a stats answer is a few kilobytes.</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    public ContainerEngineSocket Socket { get; } = socket;

    /// <summary>
    /// The status and body of <c>GET <paramref name="pathAndQuery"/></c>. Throws
    /// <see cref="IOException"/> (malformed or cut answer, body too large), the socket's own
    /// exceptions, or <see cref="OperationCanceledException"/> when <paramref name="ct"/> fires.
    /// </summary>
    public async Task<(int Status, byte[] Body)> GetAsync(string pathAndQuery, CancellationToken ct)
    {
        await using Stream stream = await Socket.ConnectAsync(ct);
        await using var cancelRegistration = ct.Register(static s => ((Stream)s!).Dispose(), stream);
        byte[] request = Encoding.ASCII.GetBytes(
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: docker\r\nUser-Agent: {OutboundConnection.UserAgent}\r\nAccept: application/json\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request, ct);

        var buffer = new byte[4096];
        int length = 0;
        int headEnd;
        while ((headEnd = HttpResponseHead.FindEnd(buffer.AsSpan(0, length))) < 0)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= HttpResponseHead.MaxBytes)
                {
                    throw new IOException("the engine's answer head is too long");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                throw new IOException("the engine closed the connection without answering");
            }

            length += read;
        }

        if (!HttpResponseHead.TryParse(buffer.AsSpan(0, headEnd), out var head, out string error))
        {
            throw new IOException(error);
        }

        var reader = new HttpGetClient.BufferedReader(buffer.AsMemory(headEnd, length - headEnd), stream);
        var (body, tooLarge) = await HttpGetClient.ReadBodyAsync(reader, head!, MaxBodyBytes, ct);
        if (tooLarge)
        {
            throw new IOException($"the engine's answer is larger than {MaxBodyBytes} bytes");
        }

        return (head!.Status, body);
    }
}
