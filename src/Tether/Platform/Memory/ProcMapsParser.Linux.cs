using System.Globalization;

namespace Tether.Platform.Memory;

/// <summary>Parses <c>/proc/PID/maps</c> (proc(5)): <c>start-end perms offset dev inode path</c>. Pure.</summary>
internal static class ProcMapsParser
{
    /// <summary>The mappings of <paramref name="text"/>; lines that do not parse are skipped.</summary>
    public static List<MemoryMapping> Parse(string text)
    {
        var result = new List<MemoryMapping>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5)
            {
                continue;
            }

            int dash = fields[0].IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0
                || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end)
                || end <= start || fields[1].Length != 4)
            {
                continue;
            }

            result.Add(new MemoryMapping(start, end, fields[1], fields.Length == 6 ? fields[5].Trim() : string.Empty));
        }

        return result;
    }
}
