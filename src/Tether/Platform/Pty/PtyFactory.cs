using Tether.Platform.Common;

namespace Tether.Platform.Pty;

/// <summary>Chooses the pseudo-terminal implementation for the running OS, once.</summary>
internal static class PtyFactory
{
    /// <summary>
    /// The implementation for this OS, or null where none exists; the shell capability then
    /// refuses with "pty unavailable". On Windows without ConPTY the implementation exists but
    /// its Start throws <see cref="PtyUnavailableException"/>, with the same answer.
    /// </summary>
    internal static IPty? Create()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            return new UnixPty(UnixPlatform.Current);
        }

        if (OperatingSystem.IsWindows())
        {
            return new WindowsPty();
        }

        return null;
    }
}
