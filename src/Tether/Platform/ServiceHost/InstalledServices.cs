namespace Tether.Platform.ServiceHost;

/// <summary>This machine's <see cref="IInstalledServices"/>: the Service Control Manager's registry on Windows.</summary>
internal static class InstalledServices
{
    public static IInstalledServices ForThisMachine() =>
        OperatingSystem.IsWindows() ? new RegistryInstalledServices() : throw new PlatformNotSupportedException("Windows services exist only on Windows");
}
