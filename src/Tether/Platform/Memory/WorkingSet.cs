namespace Tether.Platform.Memory;

/// <summary>The agent's resident memory, as far as the OS lets a process shape it.</summary>
internal static class WorkingSet
{
    /// <summary>
    /// Once start-up is over: lets the OS drop the clean file pages (executable, libraries) that
    /// only start-up used (Linux 5.4+); elsewhere nothing (zero advised).
    /// </summary>
    public static StartupRelease ReleaseStartupPages() =>
        OperatingSystem.IsLinux() ? LinuxWorkingSet.ReleaseOwnFilePages() : new StartupRelease(0, -1, -1);
}
