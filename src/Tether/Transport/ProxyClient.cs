using System.Net;

namespace Tether.Transport;

/// <summary>
/// The one way the agent turns a proxy URL (from <c>Config.ProxySettings.ProxyFor</c>) into a
/// .NET proxy: the address without its userinfo, the userinfo as credentials (sent to the proxy
/// when it asks, never logged), local addresses not bypassed (the rules already decided).
/// </summary>
internal static class ProxyClient
{
    public static WebProxy? Create(Uri? proxy)
    {
        if (proxy is null)
        {
            return null;
        }

        var address = new UriBuilder(proxy) { UserName = string.Empty, Password = string.Empty }.Uri;
        var webProxy = new WebProxy(address) { BypassProxyOnLocal = false };
        if (!string.IsNullOrEmpty(proxy.UserInfo))
        {
            string[] userInfo = proxy.UserInfo.Split(':', 2);
            webProxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(userInfo[0]), userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : string.Empty);
        }

        return webProxy;
    }
}
