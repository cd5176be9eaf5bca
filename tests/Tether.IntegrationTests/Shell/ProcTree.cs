using System.Globalization;

namespace Tether.IntegrationTests.Shell;

/// <summary>Processes as /proc shows them (Linux): parents, sessions, names, fds, memory.</summary>
internal static class ProcTree
{
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

    /// <summary>(state, ppid, session) or null when gone.</summary>
    public static (char State, int Ppid, int Session)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var pid in AllPids())
        {
            if (Stat(pid) is { } s)
            {
                parents[pid] = s.Ppid;
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

    public static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid) => Stat(pid) is { } s && s.State is not ('Z' or 'X');

    public static int FdCount(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>A <c>Vm*</c> line of /proc/pid/status in kB.</summary>
    public static long StatusKb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
