using Tether.Platform.Common;
namespace Tether.Platform.HostStats;

/// <summary>Reads MemTotal and MemAvailable from /proc/meminfo (values in kB).</summary>
internal static class MemInfoParser
{
    /// <summary>
    /// MemAvailable appeared in Linux 3.14; older kernels get MemFree + Buffers + Cached, the
    /// estimate free(1) used before it. Without MemTotal, or without both estimates, it fails.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> memInfo, out MemoryInfo memory)
    {
        memory = default;
        ulong? total = null, available = null, free = null, buffers = null, cached = null;
        while (!memInfo.IsEmpty && (total is null || available is null))
        {
            var line = ProcText.TakeLine(ref memInfo);
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon];
            var rest = line[(colon + 1)..];
            if (!ProcText.TryTakeUInt64(ref rest, out ulong kib))
            {
                continue;
            }

            ulong bytes = kib * 1024;
            if (key.SequenceEqual("MemTotal"u8))
            {
                total = bytes;
            }
            else if (key.SequenceEqual("MemAvailable"u8))
            {
                available = bytes;
            }
            else if (key.SequenceEqual("MemFree"u8))
            {
                free = bytes;
            }
            else if (key.SequenceEqual("Buffers"u8))
            {
                buffers = bytes;
            }
            else if (key.SequenceEqual("Cached"u8))
            {
                cached = bytes;
            }
        }

        available ??= free + buffers + cached;
        if (total is not { } t || available is not { } a)
        {
            return false;
        }

        memory = new MemoryInfo(t, a);
        return true;
    }
}
