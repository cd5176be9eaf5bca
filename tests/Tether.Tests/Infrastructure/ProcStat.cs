using System.Globalization;

namespace Tether.Tests.Infrastructure;

/// <summary>The fields of <c>/proc/PID/stat</c> the tests look at (proc(5) numbering in the comments).</summary>
internal readonly record struct ProcStat(
    string Command,
    char State,
    int ParentPid,
    int ProcessGroup,
    int Session,
    int ForegroundProcessGroup)
{
    /// <summary>Parses one stat line; false when it is not one.</summary>
    public static bool TryParse(string stat, out ProcStat result)
    {
        result = default;

        // "pid (comm) S ppid ...": comm may itself hold ") ", so it ends at the last one.
        int open = stat.IndexOf('(', StringComparison.Ordinal);
        int close = stat.LastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.Length)
        {
            return false;
        }

        var fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 6 || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int ppid) // (4)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pgrp) // (5)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int session) // (6)
            || !int.TryParse(fields[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out int tpgid)) // (8)
        {
            return false;
        }

        result = new ProcStat(stat[(open + 1)..close], fields[0][0], ppid, pgrp, session, tpgid);
        return true;
    }
}
