using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Tether.Protocol;

/// <summary>
/// Escapes raw UTF-8 bytes straight into the inside of a JSON string, exactly as
/// <see cref="EventFrameEncoder.WriterOptions"/> would write the same text (a differential test
/// holds it to that), without decoding to UTF-16 or building a string first: runs of bytes that
/// need nothing are found with a vectorised search and copied whole, so the cost follows the
/// bytes, not the characters. Invalid bytes become U+FFFD as <see cref="UTF8Encoding"/>'s decoder
/// replaces them (one per maximal invalid subsequence); an incomplete sequence at the end of the
/// input is left for the caller to carry into the next chunk.
/// </summary>
/// <remarks>Thread-safe: no state.</remarks>
internal static class JsonTextEscaper
{
    /// <summary>One escaped scalar never needs more than a surrogate pair as two <c>\uXXXX</c>.</summary>
    public const int MaxEscapedScalarBytes = 12;

    private static readonly bool[] AsciiEscaped = BuildAsciiEscaped();

    /// <summary>ASCII bytes the writer escapes, and every byte of a multi-byte sequence (checked one by one).</summary>
    private static readonly SearchValues<byte> Stops = SearchValues.Create(BuildStops());

    /// <summary>
    /// True when the escaped ASCII bytes are exactly the controls, <c>"</c>, <c>\</c> and DEL, so
    /// <see cref="IndexOfStop"/> can find stops with four SSE2 compares a 16-byte block.
    /// <see cref="SearchValues{T}"/> over 128+ values needs SSSE3's shuffle, which the NativeAOT
    /// baseline does not assume, and its fallback cost a third of the shell output path.
    /// </summary>
    internal static readonly bool SimpleStops = CheckSimpleStops();

    private static ReadOnlySpan<byte> Hex => "0123456789ABCDEF"u8;

    /// <summary>The bytes the writer writes for one scalar inside a JSON string.</summary>
    public static int EscapedSize(Rune rune)
    {
        if (!WillEscape(rune))
        {
            return rune.Utf8SequenceLength;
        }

        return rune.Value switch
        {
            '\b' or '\t' or '\n' or '\f' or '\r' or '"' or '\\' => 2,
            _ => rune.IsBmp ? 6 : 12,
        };
    }

    /// <summary>
    /// Escapes as much of <paramref name="source"/> into <paramref name="destination"/> as fits,
    /// whole scalars only. Stops early at an incomplete sequence at the end of the source unless
    /// <paramref name="final"/> (then it becomes U+FFFD).
    /// </summary>
    /// <returns>Source bytes consumed; <paramref name="written"/> is the bytes written.</returns>
    public static int Escape(ReadOnlySpan<byte> source, Span<byte> destination, bool final, out int written)
    {
        var read = 0;
        written = 0;
        while (read < source.Length)
        {
            var rest = source[read..];
            var plain = IndexOfStop(rest);
            if (plain < 0)
            {
                plain = rest.Length;
            }

            if (plain > 0)
            {
                var take = Math.Min(plain, destination.Length - written);
                rest[..take].CopyTo(destination[written..]);
                read += take;
                written += take;
                if (take < plain)
                {
                    return read;
                }

                continue;
            }

            var status = Rune.DecodeFromUtf8(rest, out var rune, out var consumed);
            if (status == OperationStatus.NeedMoreData)
            {
                if (!final)
                {
                    return read;
                }

                // The decoder's flush: the truncated tail is one replacement character.
                consumed = rest.Length;
            }

            var size = WriteScalar(status == OperationStatus.Done ? rune : Rune.ReplacementChar, destination[written..]);
            if (size == 0)
            {
                return read;
            }

            read += consumed;
            written += size;
        }

        return read;
    }

    /// <summary>The index of the first byte that is not copied as it is, or -1.</summary>
    internal static int IndexOfStop(ReadOnlySpan<byte> bytes)
    {
        if (!SimpleStops || !Vector128.IsHardwareAccelerated)
        {
            return bytes.IndexOfAny(Stops);
        }

        ref var start = ref MemoryMarshal.GetReference(bytes);
        var i = 0;
        if (bytes.Length >= Vector128<byte>.Count)
        {
            var space = Vector128.Create((sbyte)0x20);
            var quote = Vector128.Create((sbyte)'"');
            var backslash = Vector128.Create((sbyte)'\\');
            var delete = Vector128.Create((sbyte)0x7F);
            for (; i <= bytes.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                // Signed: 0x80–0xFF are negative, so one compare finds them and the controls.
                var block = Vector128.LoadUnsafe(ref start, (nuint)i).AsSByte();
                var stop = Vector128.LessThan(block, space) | Vector128.Equals(block, quote) | Vector128.Equals(block, backslash) | Vector128.Equals(block, delete);
                if (stop != Vector128<sbyte>.Zero)
                {
                    return i + BitOperations.TrailingZeroCount(stop.ExtractMostSignificantBits());
                }
            }
        }

        for (; i < bytes.Length; i++)
        {
            if (IsSimpleStop(Unsafe.Add(ref start, i)))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsSimpleStop(byte b) => b is < 0x20 or (byte)'"' or (byte)'\\' or >= 0x7F;

    private static bool CheckSimpleStops()
    {
        for (var b = 0; b < 256; b++)
        {
            if (IsSimpleStop((byte)b) != (b >= 0x80 || AsciiEscaped[b]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes one scalar as the writer would; 0 when it does not fit.</summary>
    private static int WriteScalar(Rune rune, Span<byte> destination)
    {
        var size = EscapedSize(rune);
        if (size > destination.Length)
        {
            return 0;
        }

        if (!WillEscape(rune))
        {
            return rune.EncodeToUtf8(destination);
        }

        switch (rune.Value)
        {
            case '\b': return Short(destination, (byte)'b');
            case '\t': return Short(destination, (byte)'t');
            case '\n': return Short(destination, (byte)'n');
            case '\f': return Short(destination, (byte)'f');
            case '\r': return Short(destination, (byte)'r');
            case '"': return Short(destination, (byte)'"');
            case '\\': return Short(destination, (byte)'\\');
        }

        Span<char> utf16 = stackalloc char[2];
        var units = rune.EncodeToUtf16(utf16);
        for (var i = 0; i < units; i++)
        {
            Unicode(destination[(i * 6)..], utf16[i]);
        }

        return units * 6;
    }

    private static int Short(Span<byte> destination, byte letter)
    {
        destination[0] = (byte)'\\';
        destination[1] = letter;
        return 2;
    }

    private static void Unicode(Span<byte> destination, char unit)
    {
        destination[0] = (byte)'\\';
        destination[1] = (byte)'u';
        destination[2] = Hex[unit >> 12];
        destination[3] = Hex[(unit >> 8) & 0xF];
        destination[4] = Hex[(unit >> 4) & 0xF];
        destination[5] = Hex[unit & 0xF];
    }

    private static bool WillEscape(Rune rune) =>
        rune.IsAscii ? AsciiEscaped[rune.Value] : EventFrameEncoder.WriterOptions.Encoder!.WillEncode(rune.Value);

    private static bool[] BuildAsciiEscaped()
    {
        var table = new bool[128];
        for (var c = 0; c < table.Length; c++)
        {
            table[c] = EventFrameEncoder.WriterOptions.Encoder!.WillEncode(c);
        }

        return table;
    }

    private static byte[] BuildStops()
    {
        var stops = new List<byte>();
        var escaped = AsciiEscaped;
        for (var b = 0; b < 256; b++)
        {
            if (b >= 0x80 || escaped[b])
            {
                stops.Add((byte)b);
            }
        }

        return [.. stops];
    }
}
