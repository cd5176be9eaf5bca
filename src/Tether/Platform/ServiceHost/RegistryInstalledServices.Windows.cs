using System.Runtime.Versioning;
using Microsoft.Win32;

namespace Tether.Platform.ServiceHost;

/// <summary>
/// The real <see cref="IInstalledServices"/>: the Service Control Manager's database under
/// <c>HKLM\SYSTEM\CurrentControlSet\Services</c>, read only (every change goes through <c>sc.exe</c>).
/// </summary>
/// <remarks>Thread-safe: stateless.</remarks>
[SupportedOSPlatform("windows")]
internal sealed class RegistryInstalledServices : IInstalledServices
{
    public InstalledService? Find(string serviceName)
    {
        using var key = Registry.LocalMachine.OpenSubKey(@"SYSTEM\CurrentControlSet\Services\" + serviceName);
        if (key?.GetValue("ImagePath", null, RegistryValueOptions.DoNotExpandEnvironmentNames) is not string imagePath)
        {
            return null;
        }

        int start = key.GetValue("Start") is int value ? value : -1;
        bool flag = key.GetValue("FailureActionsOnNonCrashFailures") is int on && on != 0;
        var (reset, actions) = ServiceFailureActions.Parse(key.GetValue("FailureActions") as byte[]);
        return new InstalledService(imagePath, start, reset, actions, flag);
    }
}
