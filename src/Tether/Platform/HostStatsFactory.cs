using Tether.Platform.Linux;
using Tether.Platform.Windows;

namespace Tether.Platform;

/// <summary>Picks the <see cref="IHostStats"/> of the running OS, once, at start.</summary>
internal static class HostStatsFactory
{
    public static IHostStats Create()
    {
        if (OperatingSystem.IsLinux())
        {
            return new LinuxHostStats();
        }

        if (OperatingSystem.IsWindows())
        {
            return new WindowsHostStats();
        }

        throw new PlatformNotSupportedException(
            $"Host telemetry is implemented for Linux only so far; this OS is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.");
    }
}
