using System.Globalization;

namespace Tether.Tests.Platform.Pty;

/// <summary>Facts about processes and this process's fds, read from /proc (Linux).</summary>
internal static class ProcessProbe
{
    internal static int OpenFdCount() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>True when <paramref name="pid"/> no longer runs (gone, or a zombie nobody reaped yet).</summary>
    internal static bool IsGoneOrZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is 'Z' or 'X';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    /// <summary>Test cleanup: SIGKILL <paramref name="pid"/> if it still runs; never throws.</summary>
    internal static void Kill(int pid)
    {
        if (pid <= 0 || IsGoneOrZombie(pid))
        {
            return;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>The state letter of /proc/pid/stat (R, S, Z...), or '?' when the process is gone.</summary>
    internal static char State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return '?';
        }
    }

    /// <summary>wchar from /proc/pid/io: bytes the process has passed to write(); -1 when unreadable.</summary>
    internal static long BytesWritten(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/io")
                .First(l => l.StartsWith("wchar:", StringComparison.Ordinal));
            return long.Parse(line["wchar:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>/proc/pid/comm (the executable's name), or null when the process is gone.</summary>
    internal static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when a child of <paramref name="parent"/> named <paramref name="command"/> runs in the
    /// terminal's foreground process group (stat fields: ppid 4, pgrp 5, tpgid 8).
    /// </summary>
    internal static bool HasForegroundChild(int parent, string command)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat[(open + 1)..close] != command)
                {
                    continue;
                }

                var fields = stat[(close + 2)..].Split(' ');
                int ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
                int pgrp = int.Parse(fields[2], CultureInfo.InvariantCulture);
                int tpgid = int.Parse(fields[5], CultureInfo.InvariantCulture);
                if (ppid == parent && pgrp == tpgid)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="pid"/> sleeps in pselect6(2), the call readline waits for a key in
    /// (/proc/PID/syscall; x64 and arm64 numbers; other architectures, and a kernel that does not
    /// let this process read the file, answer true).
    /// </summary>
    internal static bool WaitsInPselect(int pid)
    {
        var pselect6 = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "270",
            System.Runtime.InteropServices.Architecture.Arm64 => "72",
            _ => null,
        };
        try
        {
            return pselect6 is null
                || File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/syscall").Split(' ')[0] == pselect6;
        }
        catch (UnauthorizedAccessException)
        {
            return true; // a kernel that hides it (ptrace restrictions): cannot tell, so do not wait
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    internal static bool Exists(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Polls <paramref name="condition"/> until true or the deadline passes; not a synchronising sleep.</summary>
    internal static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>fds of this process that point at /dev/ptmx, with their fdinfo flags (octal).</summary>
    internal static Dictionary<int, int> PtyMasters()
    {
        var result = new Dictionary<int, int>();
        foreach (var path in Directory.GetFiles("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(path).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }

            if (target is "/dev/ptmx" or "/dev/pts/ptmx")
            {
                var fd = int.Parse(Path.GetFileName(path), CultureInfo.InvariantCulture);
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
}
