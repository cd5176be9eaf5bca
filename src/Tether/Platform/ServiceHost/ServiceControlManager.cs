using System.Runtime.Versioning;

namespace Tether.Platform.ServiceHost;

/// <summary>The agent as a Windows service: the shared entry to the SCM layer.</summary>
internal static class ServiceControlManager
{
    /// <summary>
    /// Connects to the Service Control Manager and runs <paramref name="agent"/> until the service
    /// is stopped; the agent's exit code becomes the service's. Errors go to <paramref name="error"/>.
    /// </summary>
    [SupportedOSPlatform("windows")]
    public static Task<int> RunAsync(Func<CancellationToken, Task<int>> agent, TextWriter error) =>
        WindowsServiceHost.RunAsync(agent, error);
}
