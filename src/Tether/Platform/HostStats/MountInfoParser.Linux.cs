using System.Buffers.Text;
using Tether.Platform.Common;

namespace Tether.Platform.HostStats;

/// <summary>
/// One line of <c>/proc/self/mountinfo</c> (proc(5)):
/// <c>36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue</c>.
/// Spans point into the read buffer; <see cref="MountPoint"/>, <see cref="Root"/> and
/// <see cref="Source"/> are still octal-escaped (<c>\040</c> for a space).
/// </summary>
internal readonly ref struct MountInfoLine
{
    public MountInfoLine(uint major, uint minor, ReadOnlySpan<byte> root, ReadOnlySpan<byte> mountPoint, ReadOnlySpan<byte> fsType, ReadOnlySpan<byte> source)
    {
        Major = major;
        Minor = minor;
        Root = root;
        MountPoint = mountPoint;
        FsType = fsType;
        Source = source;
    }

    public uint Major { get; }

    public uint Minor { get; }

    public ReadOnlySpan<byte> Root { get; }

    public ReadOnlySpan<byte> MountPoint { get; }

    public ReadOnlySpan<byte> FsType { get; }

    public ReadOnlySpan<byte> Source { get; }
}

/// <summary>Parses <c>/proc/self/mountinfo</c> lines and unescapes their paths.</summary>
internal static class MountInfoParser
{
    /// <summary>Parses one line; <see langword="false"/> for a line of another shape.</summary>
    public static bool TryParseLine(ReadOnlySpan<byte> line, out MountInfoLine entry)
    {
        entry = default;
        if (!ProcText.TryTakeToken(ref line, out _) // mount ID
            || !ProcText.TryTakeToken(ref line, out _) // parent ID
            || !ProcText.TryTakeToken(ref line, out var device)
            || !ProcText.TryTakeToken(ref line, out var root)
            || !ProcText.TryTakeToken(ref line, out var mountPoint))
        {
            return false;
        }

        int colon = device.IndexOf((byte)':');
        if (colon < 0
            || !Utf8Parser.TryParse(device[..colon], out uint major, out int used) || used != colon
            || !Utf8Parser.TryParse(device[(colon + 1)..], out uint minor, out used) || used != device.Length - colon - 1)
        {
            return false;
        }

        // Optional fields run up to a lone "-".
        while (true)
        {
            if (!ProcText.TryTakeToken(ref line, out var field))
            {
                return false;
            }

            if (field.SequenceEqual("-"u8))
            {
                break;
            }
        }

        if (!ProcText.TryTakeToken(ref line, out var fsType) || !ProcText.TryTakeToken(ref line, out var source))
        {
            return false;
        }

        entry = new MountInfoLine(major, minor, root, mountPoint, fsType, source);
        return true;
    }

    /// <summary>Undoes the kernel's octal escapes (<c>\040</c> space, <c>\011</c> tab, <c>\012</c> newline, <c>\134</c> backslash).</summary>
    public static string Unescape(ReadOnlySpan<byte> escaped)
    {
        if (escaped.IndexOf((byte)'\\') < 0)
        {
            return System.Text.Encoding.UTF8.GetString(escaped);
        }

        Span<byte> buffer = escaped.Length <= 512 ? stackalloc byte[escaped.Length] : new byte[escaped.Length];
        int length = 0;
        for (int i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 3 < escaped.Length && IsOctal(escaped[i + 1]) && IsOctal(escaped[i + 2]) && IsOctal(escaped[i + 3]))
            {
                buffer[length++] = (byte)(((escaped[i + 1] - '0') << 6) | ((escaped[i + 2] - '0') << 3) | (escaped[i + 3] - '0'));
                i += 3;
            }
            else
            {
                buffer[length++] = escaped[i];
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer[..length]);
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
