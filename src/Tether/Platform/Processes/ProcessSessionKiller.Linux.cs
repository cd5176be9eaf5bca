using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Common;
using Tether.Platform.Pty;

namespace Tether.Platform.Processes;

/// <summary>
/// Finds a session's processes by scanning <c>/proc/&lt;pid&gt;/stat</c> (field 6 is the session
/// id) and signals each one. Interactive bash and dash give every <c>cmd &amp;</c> job its own
/// process group, so signalling the shell's group alone leaves them running.
/// </summary>
/// <remarks>Thread-safe; holds no state besides the platform constants.</remarks>
[SupportedOSPlatform("linux")]
internal sealed class ProcessSessionKiller : IProcessSessions
{
    private readonly UnixPlatform _platform;

    internal ProcessSessionKiller(UnixPlatform platform)
    {
        _platform = platform;
    }

    public int Signal(int sessionId, PtySignal signal)
    {
        // Session 0 holds kernel threads and session 1 is init's: never ours.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sessionId, 1);
        var number = _platform.ToNumber(signal);
        var self = Environment.ProcessId;
        var signalled = 0;
        foreach (var pid in SessionMembers(sessionId))
        {
            // Never pid <= 0 (kill(0) / kill(-1) reach groups), never ourselves.
            if (pid <= 1 || pid == self)
            {
                continue;
            }

            if (Interop.Libc.Kill(pid, number) == 0)
            {
                signalled++;
            }
            else if (Marshal.GetLastPInvokeError() != _platform.ESrch)
            {
                // EPERM: not ours to signal (cannot happen for a session we started); skip it.
                continue;
            }
        }

        return signalled;
    }

    public int Count(int sessionId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sessionId, 1);
        return SessionMembers(sessionId).Count;
    }

    /// <summary>Pids whose session id is <paramref name="sessionId"/>; a process that vanishes mid-scan is skipped.</summary>
    internal static List<int> SessionMembers(int sessionId)
    {
        var members = new List<int>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            return members;
        }

        foreach (var directory in entries)
        {
            var name = Path.GetFileName(directory.AsSpan());
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(directory + "/stat");
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // A zombie is already dead (its parent or init reaps it); signalling it does nothing.
            if (TryParseSessionId(stat, out var state, out var sid) && sid == sessionId && state is not ('Z' or 'X'))
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// Field 6 of a <c>/proc/&lt;pid&gt;/stat</c> line. The command name (field 2) may contain
    /// spaces and parentheses, so fields are counted after its last <c>)</c>.
    /// </summary>
    internal static bool TryParseSessionId(ReadOnlySpan<char> stat, out char state, out int sessionId)
    {
        sessionId = 0;
        state = '\0';
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        // After ") ": state(3) ppid(4) pgrp(5) session(6).
        var rest = stat[(close + 1)..].TrimStart(' ');
        if (rest.IsEmpty)
        {
            return false;
        }

        state = rest[0];
        for (var field = 3; field < 6; field++)
        {
            var space = rest.IndexOf(' ');
            if (space < 0)
            {
                return false;
            }

            rest = rest[(space + 1)..];
        }

        var end = rest.IndexOf(' ');
        var value = end < 0 ? rest : rest[..end];
        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out sessionId);
    }
}
