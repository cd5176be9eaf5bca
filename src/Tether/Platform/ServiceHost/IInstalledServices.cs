namespace Tether.Platform.ServiceHost;

/// <summary>Reads a Windows service's configuration; the seam that lets tests stand in for the registry.</summary>
internal interface IInstalledServices
{
    /// <summary>The service's configuration; null when no such service is installed.</summary>
    InstalledService? Find(string serviceName);
}
