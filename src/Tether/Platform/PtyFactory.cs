using Tether.Platform.Unix;

namespace Tether.Platform;

/// <summary>Chooses the pseudo-terminal implementation for the running OS, once.</summary>
internal static class PtyFactory
{
    /// <summary>
    /// The implementation for this OS, or null where none exists yet (Windows ConPTY is
    /// future work); the shell capability then refuses with "pty unavailable".
    /// </summary>
    internal static IPty? Create()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return new UnixPty(UnixPlatform.Current);
        }

        return null;
    }
}
