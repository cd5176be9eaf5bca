namespace Tether.Platform.HostStats;

/// <summary>Pure mappings from macOS native structs to <see cref="IHostStats"/> values, apart so they are tested without a Mac.</summary>
internal static class MacStatsMapper
{
    /// <summary>
    /// Available = free + inactive pages, the figure gopsutil and Activity Monitor's "memory
    /// pressure" side lean on: inactive pages are reclaimed without swapping. <c>free_count</c>
    /// already includes <c>speculative_count</c> (vm_stat prints free as free − speculative), so
    /// speculative is not added again.
    /// </summary>
    public static MemoryInfo Memory(ulong totalBytes, in Interop.Mach.VmStatistics64 vm, ulong pageSize)
    {
        ulong available = ((ulong)vm.FreeCount + vm.InactiveCount) * pageSize;
        return new MemoryInfo(totalBytes, Math.Min(available, totalBytes));
    }

    /// <summary>statfs counts blocks of <c>f_bsize</c> bytes; bfree includes root's reserve, bavail does not.</summary>
    public static FileSystemSpace FileSystem(in Interop.Libc.MacStatfs fs) =>
        new(fs.f_bsize, fs.f_blocks, fs.f_bfree, fs.f_bavail);

    /// <summary>Seconds from <c>kern.boottime</c> to <paramref name="now"/>; false for a boot time in the future (a clock set backwards).</summary>
    public static bool TryUptime(in Interop.Libc.MacTimeval bootTime, DateTimeOffset now, out double seconds)
    {
        double boot = bootTime.tv_sec + (bootTime.tv_usec / 1e6);
        double current = now.ToUnixTimeMilliseconds() / 1e3;
        seconds = current - boot;
        if (bootTime.tv_sec <= 0 || seconds < 0)
        {
            seconds = 0;
            return false;
        }

        return true;
    }
}
