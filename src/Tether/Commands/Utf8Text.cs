namespace Tether.Commands;

/// <summary>UTF-8 and JSON size helpers for cutting output without splitting a character. Thread-safe: stateless.</summary>
internal static class Utf8Text
{
    /// <summary>
    /// The length of <paramref name="bytes"/> without a trailing incomplete multi-byte
    /// sequence (one whose lead byte announces more bytes than follow).
    /// </summary>
    public static int CompletePrefixLength(ReadOnlySpan<byte> bytes)
    {
        // A sequence is at most 4 bytes: look back at most 3 continuation bytes for its lead.
        for (var back = 1; back <= Math.Min(4, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var needed = b switch
            {
                < 0x80 => 1,
                >= 0xC2 and <= 0xDF => 2,
                >= 0xE0 and <= 0xEF => 3,
                >= 0xF0 and <= 0xF4 => 4,
                _ => 1, // invalid lead: decodes to U+FFFD whatever follows
            };
            return needed > back ? bytes.Length - back : bytes.Length;
        }

        return bytes.Length;
    }

    /// <summary>
    /// Bytes <paramref name="c"/> takes inside a JSON string written by
    /// <see cref="Protocol.EventFrameEncoder"/> (relaxed escaping): 6 for <c>\u00XX</c> control
    /// characters, 2 for short escapes, else its UTF-8 length (2 per surrogate half). An estimate
    /// for planning a cut; the encoded frame is always measured afterwards.
    /// </summary>
    public static int JsonLength(char c) => c switch
    {
        '\b' or '\t' or '\n' or '\f' or '\r' or '"' or '\\' => 2,
        < ' ' or '\u007F' => 6,
        < '\u0080' => 1,
        < '\u0800' => 2,
        _ when char.IsSurrogate(c) => 2,
        _ => 3,
    };

    /// <summary>The estimated JSON string size of <paramref name="text"/> (see <see cref="JsonLength"/>).</summary>
    public static long JsonLength(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long total = 0;
        foreach (var c in text)
        {
            total += JsonLength(c);
        }

        return total;
    }

    /// <summary>
    /// <paramref name="text"/> shortened from the end by at least <paramref name="bytes"/> JSON
    /// bytes (or to empty), never between the halves of a surrogate pair.
    /// </summary>
    public static string CutEnd(string text, long bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = text.Length;
        long removed = 0;
        while (end > 0 && removed < bytes)
        {
            removed += JsonLength(text[end - 1]);
            end--;
        }

        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }
}
