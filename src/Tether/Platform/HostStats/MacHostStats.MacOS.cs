using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform.HostStats;

/// <summary>
/// Host counters on macOS from Mach host statistics, sysctl, getloadavg(3) and statfs(2); no
/// processes are started. The struct-to-value arithmetic lives in <see cref="MacStatsMapper"/>,
/// <see cref="MacCpuTicks"/> and <see cref="InterfaceListParser"/>. Untested on a Mac here:
/// compile and layout tests only.
/// </summary>
/// <remarks>Not thread-safe (tick widening state, one reused sysctl buffer); the stats loop is its only caller.</remarks>
[SupportedOSPlatform("macos")]
internal sealed unsafe class MacHostStats : IHostStats
{
    private const int ENoMem = 12;
    private const int ListAttempts = 4;

    private readonly uint _host = Interop.Mach.MachHostSelf();
    private readonly MacCpuTicks _cpu = new();
    private readonly TimeProvider _time;
    private byte[] _interfaceList = new byte[16 * 1024];

    public MacHostStats()
        : this(TimeProvider.System)
    {
    }

    public MacHostStats(TimeProvider time)
    {
        _time = time;
    }

    public string OsName => "darwin";

    public bool TryReadCpuTimes(out CpuTimes times)
    {
        times = default;
        Interop.Mach.HostCpuLoadInfo info;
        uint count = (uint)(sizeof(Interop.Mach.HostCpuLoadInfo) / sizeof(int));
        if (Interop.Mach.HostStatistics(_host, Interop.Mach.HostCpuLoadInfoFlavor, &info, &count) != Interop.Mach.KernSuccess)
        {
            return false;
        }

        times = _cpu.Advance(info);
        return true;
    }

    public bool TryReadMemory(out MemoryInfo memory)
    {
        memory = default;
        ulong total;
        nuint pageSize;
        if (!TryReadSysctl("hw.memsize", out total)
            || Interop.Mach.HostPageSize(_host, &pageSize) != Interop.Mach.KernSuccess)
        {
            return false;
        }

        Interop.Mach.VmStatistics64 vm;
        uint count = (uint)(sizeof(Interop.Mach.VmStatistics64) / sizeof(int));
        if (Interop.Mach.HostStatistics64(_host, Interop.Mach.HostVmInfo64Flavor, &vm, &count) != Interop.Mach.KernSuccess)
        {
            return false;
        }

        memory = MacStatsMapper.Memory(total, vm, pageSize);
        return true;
    }

    public bool TryReadLoadAverage(out LoadAverage load)
    {
        load = default;
        double* averages = stackalloc double[3];
        if (Interop.Libc.GetLoadAvg(averages, 3) != 3)
        {
            return false;
        }

        load = new LoadAverage(averages[0], averages[1], averages[2]);
        return true;
    }

    public bool TryReadFileSystem(string path, out FileSystemSpace space)
    {
        space = default;
        if (Interop.Libc.StatfsMac(path, out var buf) != 0)
        {
            return false;
        }

        space = MacStatsMapper.FileSystem(buf);
        return true;
    }

    /// <summary>
    /// Local, browsable file systems from getfsstat(2) (MNT_NOWAIT, so a hung network mount cannot
    /// block a sample); macOS keeps no per-volume I/O counters here, so rates stay 0.
    /// </summary>
    public bool TryReadMountedFileSystems(List<MountedFileSystem> into)
    {
        into.Clear();
        for (int attempt = 0; attempt < ListAttempts; attempt++)
        {
            int count = Interop.Libc.GetFsStat(null, 0, Interop.Libc.MntNoWait);
            if (count <= 0)
            {
                return false;
            }

            // Room for mounts that appear between the two calls.
            var buffer = new Interop.Libc.MacStatfs[count + 4];
            fixed (Interop.Libc.MacStatfs* p = buffer)
            {
                int got = Interop.Libc.GetFsStat(p, buffer.Length * sizeof(Interop.Libc.MacStatfs), Interop.Libc.MntNoWait);
                if (got < 0)
                {
                    return false;
                }

                if (got == buffer.Length)
                {
                    continue;
                }

                for (int i = 0; i < got; i++)
                {
                    Interop.Libc.MacStatfs* fs = p + i;
                    if ((fs->f_flags & Interop.Libc.MntLocal) == 0 || (fs->f_flags & Interop.Libc.MntDontBrowse) != 0 || fs->f_blocks == 0)
                    {
                        continue;
                    }

                    string type = CString(fs->f_fstypename, 16);
                    if (type is "devfs" or "autofs" or "nullfs")
                    {
                        continue;
                    }

                    into.Add(new MountedFileSystem(CString(fs->f_mntonname, 1024), type, MacStatsMapper.FileSystem(*fs), false, 0, 0));
                }

                return true;
            }
        }

        return false;
    }

    private static string CString(byte* text, int max) =>
        System.Text.Encoding.UTF8.GetString(new ReadOnlySpan<byte>(text, max) is var span && span.IndexOf((byte)0) is int nul && nul >= 0 ? span[..nul] : span);

    public bool TryReadNetworkCounters(out NetworkCounters counters)
    {
        counters = default;
        int* mib = stackalloc int[] { Interop.Libc.CtlNet, Interop.Libc.PfRoute, 0, 0, Interop.Libc.NetRtIfList2, 0 };

        // The list can grow between the size query and the read (ENOMEM): ask again, a few times.
        for (int attempt = 0; attempt < ListAttempts; attempt++)
        {
            nuint needed;
            if (Interop.Libc.Sysctl(mib, 6, null, &needed, null, 0) != 0)
            {
                return false;
            }

            if ((nuint)_interfaceList.Length < needed)
            {
                _interfaceList = new byte[checked((int)needed + (int)(needed / 4))];
            }

            nuint length = (nuint)_interfaceList.Length;
            fixed (byte* buffer = _interfaceList)
            {
                if (Interop.Libc.Sysctl(mib, 6, buffer, &length, null, 0) == 0)
                {
                    return InterfaceListParser.TryParse(_interfaceList.AsSpan(0, (int)length), out counters);
                }
            }

            if (Marshal.GetLastPInvokeError() != ENoMem)
            {
                return false;
            }
        }

        return false;
    }

    public bool TryReadUptime(out double seconds)
    {
        seconds = 0;
        Interop.Libc.MacTimeval boot;
        nuint length = (nuint)sizeof(Interop.Libc.MacTimeval);
        return Interop.Libc.SysctlByName("kern.boottime", &boot, &length, null, 0) == 0
            && length == (nuint)sizeof(Interop.Libc.MacTimeval)
            && MacStatsMapper.TryUptime(boot, _time.GetUtcNow(), out seconds);
    }

    private static bool TryReadSysctl(string name, out ulong value)
    {
        ulong result = 0;
        nuint length = sizeof(ulong);
        bool ok = Interop.Libc.SysctlByName(name, &result, &length, null, 0) == 0 && length == sizeof(ulong);
        value = result;
        return ok;
    }
}
