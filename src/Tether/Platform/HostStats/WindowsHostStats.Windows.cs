using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform.HostStats;

/// <summary>
/// Host counters from kernel32 and iphlpapi; no processes are started. Windows has no load
/// average, so <see cref="TryReadLoadAverage"/> always answers <see langword="false"/> and the
/// <c>load</c> field is sent as <c>null</c> (docs/protocol.md §3).
/// </summary>
/// <remarks>
/// Network counters come from one GetIfTable2 call rather than System.Net.NetworkInformation:
/// that API makes a GetAdaptersAddresses call plus one GetIfEntry2 per interface and allocates
/// objects for each every interval, while GetIfTable2 returns every row with its 64-bit octet
/// counters and its filter flag at once. Stateless apart from the OS; any thread may call it.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsHostStats : IHostStats
{
    private const uint NoError = 0;

    public string OsName => "win32";

    public bool TryReadCpuTimes(out CpuTimes times)
    {
        times = default;
        if (!Interop.Kernel32.GetSystemTimes(out var idle, out var kernel, out var user))
        {
            return false;
        }

        times = WindowsCounterMath.CpuTimes(Ticks(idle), Ticks(kernel), Ticks(user));
        return true;
    }

    public bool TryReadMemory(out MemoryInfo memory)
    {
        memory = default;
        var status = new Interop.Kernel32.MEMORYSTATUSEX { dwLength = (uint)Marshal.SizeOf<Interop.Kernel32.MEMORYSTATUSEX>() };
        if (!Interop.Kernel32.GlobalMemoryStatusEx(ref status))
        {
            return false;
        }

        // ullAvailPhys counts standby, free and zeroed pages: what new work gets without paging,
        // the counterpart of Linux's MemAvailable.
        memory = new MemoryInfo(status.ullTotalPhys, status.ullAvailPhys);
        return true;
    }

    public bool TryReadLoadAverage(out LoadAverage load)
    {
        load = default;
        return false;
    }

    public bool TryReadFileSystem(string path, out FileSystemSpace space)
    {
        space = default;
        if (!Interop.Kernel32.GetDiskFreeSpaceEx(path, out ulong callerFree, out ulong total, out ulong totalFree))
        {
            return false;
        }

        space = WindowsCounterMath.FileSystemSpace(total, totalFree, callerFree);
        return true;
    }

    /// <summary>Every fixed volume that is ready (no removable, network or optical drives); no I/O counters, so rates stay 0.</summary>
    public bool TryReadMountedFileSystems(List<MountedFileSystem> into)
    {
        into.Clear();
        try
        {
            foreach (var drive in DriveInfo.GetDrives())
            {
                if (drive.DriveType != DriveType.Fixed || !drive.IsReady
                    || !Interop.Kernel32.GetDiskFreeSpaceEx(drive.RootDirectory.FullName, out ulong callerFree, out ulong total, out ulong totalFree)
                    || total == 0)
                {
                    continue;
                }

                into.Add(new MountedFileSystem(drive.RootDirectory.FullName, drive.DriveFormat, WindowsCounterMath.FileSystemSpace(total, totalFree, callerFree), false, 0, 0));
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public unsafe bool TryReadNetworkCounters(out NetworkCounters counters)
    {
        counters = default;
        if (Interop.IpHlpApi.GetIfTable2(out void* table) != NoError)
        {
            return false;
        }

        try
        {
            uint count = *(uint*)table;
            var rows = (Interop.IpHlpApi.MIB_IF_ROW2*)((byte*)table + Interop.IpHlpApi.MIB_IF_TABLE2_RowsOffset);
            ulong rx = 0;
            ulong tx = 0;
            for (uint i = 0; i < count; i++)
            {
                Interop.IpHlpApi.MIB_IF_ROW2* row = rows + i;
                if (WindowsCounterMath.CountsTowardsNetwork(row->Type, row->InterfaceAndOperStatusFlags))
                {
                    rx += row->InOctets;
                    tx += row->OutOctets;
                }
            }

            counters = new NetworkCounters(rx, tx);
            return true;
        }
        finally
        {
            Interop.IpHlpApi.FreeMibTable(table);
        }
    }

    public bool TryReadUptime(out double seconds)
    {
        seconds = WindowsCounterMath.UptimeSeconds(Interop.Kernel32.GetTickCount64());
        return true;
    }

    private static ulong Ticks(Interop.Kernel32.FILETIME time) =>
        WindowsCounterMath.FileTimeTicks(time.dwLowDateTime, time.dwHighDateTime);
}
