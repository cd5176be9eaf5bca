using System.Buffers.Text;
using Tether.Platform.Common;

namespace Tether.Platform.HostStats;

/// <summary>
/// One line of <c>/proc/diskstats</c> (Documentation/admin-guide/iostats.rst):
/// <c>major minor name reads merged sectorsRead msRead writes merged sectorsWritten …</c>.
/// Sectors are always 512 bytes there, whatever the device's own sector size.
/// </summary>
internal static class DiskStatsParser
{
    public const int SectorBytes = 512;

    public static bool TryParseLine(ReadOnlySpan<byte> line, out uint major, out uint minor, out ReadOnlySpan<byte> name, out ulong readBytes, out ulong writtenBytes)
    {
        major = minor = 0;
        name = default;
        readBytes = writtenBytes = 0;
        if (!ProcText.TryTakeToken(ref line, out var majorText) || !Utf8Parser.TryParse(majorText, out major, out int used) || used != majorText.Length
            || !ProcText.TryTakeToken(ref line, out var minorText) || !Utf8Parser.TryParse(minorText, out minor, out used) || used != minorText.Length
            || !ProcText.TryTakeToken(ref line, out name)
            || !ProcText.TryTakeToken(ref line, out _)
            || !ProcText.TryTakeToken(ref line, out _)
            || !ProcText.TryTakeUInt64(ref line, out ulong sectorsRead)
            || !ProcText.TryTakeToken(ref line, out _)
            || !ProcText.TryTakeToken(ref line, out _)
            || !ProcText.TryTakeToken(ref line, out _)
            || !ProcText.TryTakeUInt64(ref line, out ulong sectorsWritten))
        {
            return false;
        }

        readBytes = unchecked(sectorsRead * SectorBytes);
        writtenBytes = unchecked(sectorsWritten * SectorBytes);
        return true;
    }
}
