using System.Globalization;
using System.Net;
using System.Text;

namespace Tether.Transport;

/// <summary>
/// Builds the engine.io WebSocket address of docs/protocol.md §2: <c>&lt;base&gt;&lt;transport.path&gt;/</c>
/// with <c>EIO=4&amp;transport=websocket</c> and a fresh <c>clientId</c>/<c>ts</c>/<c>sig</c> for
/// every attempt. Pure.
/// </summary>
internal static class EngineEndpoint
{
    public static Uri Build(Uri serverUri, string enginePath, string clientId, long ts, string sig)
    {
        var builder = new StringBuilder(256);
        builder.Append(BaseAddress(serverUri, enginePath));
        builder.Append("?EIO=4&transport=websocket&clientId=").Append(Uri.EscapeDataString(clientId))
            .Append("&ts=").Append(ts.ToString(CultureInfo.InvariantCulture))
            .Append("&sig=").Append(sig);
        return new Uri(builder.ToString());
    }

    /// <summary>The address without its query: safe to log (no <c>sig</c>).</summary>
    public static string BaseAddress(Uri serverUri, string enginePath)
    {
        string scheme = serverUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        string basePath = serverUri.AbsolutePath.TrimEnd('/');
        string path = "/" + enginePath.Trim('/');
        return string.Create(CultureInfo.InvariantCulture, $"{scheme}://{HostNames.Literal(serverUri)}:{serverUri.Port}{basePath}{path}/");
    }

    /// <summary>True for <c>localhost</c> and loopback IP literals.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(HostNames.Name(uri), out var ip) && IPAddress.IsLoopback(ip));
}
