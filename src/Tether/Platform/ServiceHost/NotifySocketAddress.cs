using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tether.Platform.ServiceHost;

/// <summary>
/// Parses <c>NOTIFY_SOCKET</c> the way sd_notify(3) does for AF_UNIX: an absolute path, or
/// <c>@name</c> for a Linux abstract socket (the <c>@</c> becomes the leading NUL). systemd's
/// <c>vsock:</c> addresses (for VMs) are not supported. Thread-safe: stateless.
/// </summary>
internal static class NotifySocketAddress
{
    /// <summary><c>sizeof(sockaddr_un.sun_path)</c> on Linux.</summary>
    public const int MaxAddressBytes = 108;

    /// <param name="value">The variable's value; null or empty means "not started by systemd", which is not an error.</param>
    /// <param name="socketPath">Null when there is no usable address; else a path or a NUL-prefixed abstract name.</param>
    /// <returns>False with a reason when the value is set but unusable.</returns>
    public static bool TryParse(string? value, out string? socketPath, [NotNullWhen(false)] out string? error)
    {
        socketPath = null;
        error = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            error = "NOTIFY_SOCKET contains a NUL character";
            return false;
        }

        string candidate;
        int bytes;
        if (value[0] == '@')
        {
            if (value.Length == 1)
            {
                error = "NOTIFY_SOCKET is '@' without an abstract socket name";
                return false;
            }

            candidate = "\0" + value[1..];
            bytes = Encoding.UTF8.GetByteCount(candidate);
        }
        else if (value[0] == '/')
        {
            candidate = value;
            bytes = Encoding.UTF8.GetByteCount(candidate) + 1; // and its terminating NUL
        }
        else
        {
            error = $"NOTIFY_SOCKET '{value}' is neither an absolute path nor an @abstract name (vsock and relative addresses are not supported)";
            return false;
        }

        if (bytes > MaxAddressBytes)
        {
            error = $"NOTIFY_SOCKET is longer than a unix socket address allows ({MaxAddressBytes} bytes)";
            return false;
        }

        socketPath = candidate;
        return true;
    }
}
