using System.Globalization;
using System.Text.RegularExpressions;

namespace Tether.Backup;

/// <summary>
/// Reads rsync's <c>--info=progress2,name1</c> output: progress lines
/// (<c>  1,234,567  45%  1.23MB/s  0:00:01 (xfr#3, to-chk=5/10)</c>, separated by <c>\r</c>) and
/// the names of transferred files on their own lines. Pure.
/// </summary>
internal static partial class RsyncProgressParser
{
    public static bool TryParseProgress(string line, out long bytes, out int percent, out long transferred)
    {
        var m = ProgressLine().Match(line);
        bytes = 0;
        percent = 0;
        transferred = 0;
        if (!m.Success)
        {
            return false;
        }

        bytes = long.Parse(m.Groups[1].ValueSpan.ToString().Replace(",", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        percent = int.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        if (m.Groups[3].Success)
        {
            transferred = long.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
        }

        return true;
    }

    /// <summary>rsync prints bytes it will not show raw (control characters; non-ASCII in the C locale) as <c>\#ooo</c>; this restores the name.</summary>
    public static string UnescapeName(string line)
    {
        if (!line.Contains("\\#", StringComparison.Ordinal))
        {
            return line;
        }

        byte[] raw = System.Text.Encoding.UTF8.GetBytes(line);
        var bytes = new List<byte>(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 4 < raw.Length && raw[i + 1] == '#'
                && IsOctal(raw[i + 2]) && IsOctal(raw[i + 3]) && IsOctal(raw[i + 4]))
            {
                bytes.Add((byte)(((raw[i + 2] - '0') << 6) | ((raw[i + 3] - '0') << 3) | (raw[i + 4] - '0')));
                i += 4;
                continue;
            }

            bytes.Add(raw[i]);
        }

        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';

    [GeneratedRegex(@"^\s*([\d,.]+)\s+(\d{1,3})%\s+\S+\s+\S+(?:\s+\(xfr#(\d+))?", RegexOptions.CultureInvariant)]
    private static partial Regex ProgressLine();
}
