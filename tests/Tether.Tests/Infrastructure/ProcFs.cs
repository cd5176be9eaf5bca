using System.Globalization;
using System.Runtime.InteropServices;

namespace Tether.Tests.Infrastructure;

/// <summary>
/// Every /proc read of the tests (Linux): processes (state, parent, name, fds, memory, I/O) and
/// the host figures the stats tests check against. Read naively and apart from the agent's own
/// parsers, so it can serve as their oracle. A process that is gone reads as null, false or -1,
/// never as an exception: tests poll processes that exit under them.
/// </summary>
/// <remarks>Shared by the unit and the integration tests (linked into the latter). Stateless.</remarks>
internal static class ProcFs
{
    /// <summary>Every pid in /proc now.</summary>
    public static List<int> AllPids()
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    public static bool Exists(int pid) => Directory.Exists(PidPath(pid));

    /// <summary>/proc/PID/stat as one line, or null when the process is gone.</summary>
    public static string? StatText(int pid) => TryRead(PidPath(pid, "stat"));

    /// <summary>/proc/PID/stat parsed, or null when the process is gone.</summary>
    public static ProcStat? Stat(int pid) =>
        StatText(pid) is { } text && ProcStat.TryParse(text, out var stat) ? stat : null;

    /// <summary>The state letter (R, S, T, Z, ...), or null when the process is gone.</summary>
    public static char? State(int pid) => Stat(pid)?.State;

    /// <summary>True while the process runs: not gone, and not a zombie nobody reaped yet.</summary>
    public static bool IsAlive(int pid) => State(pid) is { } state && state is not ('Z' or 'X');

    /// <summary>/proc/PID/comm (the executable's name), or null when the process is gone.</summary>
    public static string? Command(int pid) => TryRead(PidPath(pid, "comm"))?.TrimEnd('\n');

    /// <summary>Every process whose chain of parents leads to <paramref name="root"/>.</summary>
    public static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var pid in AllPids())
        {
            if (Stat(pid) is { } s)
            {
                parents[pid] = s.ParentPid;
            }
        }

        var result = new List<int>();
        foreach (var pid in parents.Keys)
        {
            var p = pid;
            for (var depth = 0; depth < 64 && parents.TryGetValue(p, out var parent); depth++)
            {
                if (parent == root)
                {
                    result.Add(pid);
                    break;
                }

                p = parent;
            }
        }

        return result;
    }

    /// <summary>
    /// True when a child of <paramref name="parent"/> named <paramref name="command"/> runs in the
    /// terminal's foreground process group.
    /// </summary>
    public static bool HasForegroundChild(int parent, string command) =>
        AllPids().Any(pid => Stat(pid) is { } s
            && s.Command == command && s.ParentPid == parent && s.ProcessGroup == s.ForegroundProcessGroup);

    /// <summary>How many fds the process has open.</summary>
    public static int FdCount(int pid) => Directory.GetFileSystemEntries(PidPath(pid, "fd")).Length;

    /// <summary>How many fds this test process has open.</summary>
    public static int OwnFdCount() => FdCount(Environment.ProcessId);

    /// <summary>
    /// The fds of this test process that are terminals (<c>/dev/ptmx</c>, <c>/dev/pts/N</c>) or
    /// pipes, what a PTY session opens, each as "fd -> target" (a pipe's target names its inode,
    /// so a number reused for another pipe is another entry). Leak checks look for entries that
    /// were not there before (<see cref="NewTerminalAndPipeFds"/>), not at counts and not at every
    /// fd: other tests' sockets, files and process pipes close on the finalizer thread at any time.
    /// </summary>
    public static HashSet<string> OwnTerminalAndPipeFds() =>
        [.. OwnFds()
            .Where(f => f.Target.StartsWith("/dev/pt", StringComparison.Ordinal) || f.Target.StartsWith("pipe:", StringComparison.Ordinal))
            .Select(f => f.Fd.ToString(CultureInfo.InvariantCulture) + " -> " + f.Target)];

    /// <summary>The terminal and pipe fds open now that were not in <paramref name="before"/>: what a test leaked.</summary>
    public static List<string> NewTerminalAndPipeFds(HashSet<string> before) =>
        [.. OwnTerminalAndPipeFds().Where(fd => !before.Contains(fd)).Order(StringComparer.Ordinal)];

    /// <summary>A <c>Vm*</c> line of /proc/PID/status in kB, or -1 when it has none.</summary>
    public static long StatusKb(int pid, string field)
    {
        foreach (var line in File.ReadLines(PidPath(pid, "status")))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>
    /// The Rss of every mapping of the file <paramref name="path"/> in /proc/PID/smaps, in kB;
    /// -1 when the process is gone.
    /// </summary>
    public static long MappedRssKb(int pid, string path)
    {
        string? smaps = TryRead(PidPath(pid, "smaps"));
        if (smaps is null)
        {
            return -1;
        }

        long total = 0;
        bool inFile = false;
        foreach (string line in smaps.Split('\n'))
        {
            // A mapping's header starts with its address range ("7f…-7f… r-xp …"); its fields follow.
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && !line.AsSpan(0, dash).ContainsAnyExcept("0123456789abcdef"))
            {
                inFile = line.EndsWith(" " + path, StringComparison.Ordinal);
            }
            else if (inFile && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line["Rss:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>wchar from /proc/PID/io: bytes the process has passed to write(); -1 when unreadable.</summary>
    public static long BytesWritten(int pid)
    {
        try
        {
            var line = File.ReadLines(PidPath(pid, "io")).First(l => l.StartsWith("wchar:", StringComparison.Ordinal));
            return long.Parse(line["wchar:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>
    /// True when <paramref name="pid"/> sleeps in pselect6(2), the call readline waits for a key in
    /// (/proc/PID/syscall; x64 and arm64 numbers; other architectures, and a kernel that does not
    /// let this process read the file, answer true).
    /// </summary>
    public static bool WaitsInPselect(int pid)
    {
        var pselect6 = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "270",
            Architecture.Arm64 => "72",
            _ => null,
        };
        try
        {
            return pselect6 is null || File.ReadAllText(PidPath(pid, "syscall")).Split(' ')[0] == pselect6;
        }
        catch (UnauthorizedAccessException)
        {
            return true; // a kernel that hides it (ptrace restrictions): cannot tell, so do not wait
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>This process's fds that point at /dev/ptmx, with their fdinfo flags (octal).</summary>
    public static Dictionary<int, int> PtyMasters()
    {
        var result = new Dictionary<int, int>();
        foreach (var (fd, target) in OwnFds())
        {
            if (target is "/dev/ptmx" or "/dev/pts/ptmx")
            {
                var flagsLine = File.ReadLines($"/proc/self/fdinfo/{fd.ToString(CultureInfo.InvariantCulture)}")
                    .FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
                if (flagsLine is not null)
                {
                    result[fd] = Convert.ToInt32(flagsLine["flags:".Length..].Trim(), 8);
                }
            }
        }

        return result;
    }

    /// <summary>A line of /proc/meminfo in KiB (<c>MemTotal</c>, <c>MemAvailable</c>, ...).</summary>
    public static ulong MemInfoKib(string key)
    {
        string line = File.ReadAllLines("/proc/meminfo").Single(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return ulong.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>The first figure of /proc/uptime: seconds since boot.</summary>
    public static double UptimeSeconds() =>
        double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>
    /// The aggregate <c>cpu</c> line of /proc/stat in ticks: busy = user + nice + system + irq +
    /// softirq + steal, idle = idle + iowait.
    /// </summary>
    public static (ulong Busy, ulong Idle) CpuTicks()
    {
        ulong[] f = File.ReadLines("/proc/stat").First()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7], f[3] + f[4]);
    }

    /// <summary>Received and sent bytes of every interface but <c>lo</c>, from /proc/net/dev.</summary>
    public static (ulong Rx, ulong Tx) NetworkBytesWithoutLoopback()
    {
        ulong rx = 0, tx = 0;
        foreach (string line in File.ReadAllLines("/proc/net/dev").Skip(2))
        {
            string[] parts = line.Split(':', 2);
            if (parts[0].Trim() == "lo")
            {
                continue;
            }

            string[] fields = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            rx += ulong.Parse(fields[0], CultureInfo.InvariantCulture);
            tx += ulong.Parse(fields[8], CultureInfo.InvariantCulture);
        }

        return (rx, tx);
    }

    /// <summary>Every fd of this test process with what it points at; an fd closed while listed is left out.</summary>
    private static List<(int Fd, string Target)> OwnFds()
    {
        var fds = new List<(int Fd, string Target)>();
        foreach (var path in Directory.GetFileSystemEntries(PidPath(Environment.ProcessId, "fd")))
        {
            try
            {
                fds.Add((int.Parse(Path.GetFileName(path), CultureInfo.InvariantCulture), new FileInfo(path).LinkTarget ?? ""));
            }
            catch (IOException)
            {
                // Closed while listed.
            }
        }

        return fds;
    }

    private static string PidPath(int pid, string? file = null)
    {
        var dir = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        return file is null ? dir : dir + "/" + file;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
