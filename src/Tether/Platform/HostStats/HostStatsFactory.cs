
namespace Tether.Platform.HostStats;

/// <summary>Picks the <see cref="IHostStats"/> of the running OS, once, at start.</summary>
internal static class HostStatsFactory
{
    public static IHostStats Create()
    {
        if (OperatingSystem.IsLinux())
        {
            return new LinuxHostStats();
        }

        if (OperatingSystem.IsMacOS())
        {
            return new MacHostStats();
        }

        if (OperatingSystem.IsWindows())
        {
            return new WindowsHostStats();
        }

        throw new PlatformNotSupportedException(
            $"Host telemetry is implemented for Linux, macOS and Windows; this OS is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.");
    }
}
