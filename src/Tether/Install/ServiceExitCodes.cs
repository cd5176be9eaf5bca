namespace Tether.Install;

/// <summary>The exit codes of <c>tether service</c> on every platform (docs/protocol.md §8).</summary>
internal static class ServiceExitCodes
{
    /// <summary>Done, nothing to do, or (status) running.</summary>
    public const int Ok = 0;

    /// <summary>Refused, or a service-manager command failed.</summary>
    public const int Refused = 1;

    /// <summary>Usage or configuration error.</summary>
    public const int UsageError = 2;

    /// <summary>status: installed but not running.</summary>
    public const int InstalledNotActive = 3;

    /// <summary>status: not installed.</summary>
    public const int NotInstalled = 4;
}
