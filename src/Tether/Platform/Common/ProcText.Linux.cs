using System.Buffers.Text;
using System.Globalization;

namespace Tether.Platform.Common;

/// <summary>
/// Tokenizer over the ASCII text of /proc files. Works on the raw bytes so a sample parses
/// without decoding to UTF-16 or allocating a string per line.
/// </summary>
internal static class ProcText
{
    /// <summary>Cuts the first line (without its '\n') off <paramref name="text"/>.</summary>
    public static ReadOnlySpan<byte> TakeLine(ref ReadOnlySpan<byte> text)
    {
        int end = text.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line;
        if (end < 0)
        {
            line = text;
            text = default;
        }
        else
        {
            line = text[..end];
            text = text[(end + 1)..];
        }

        return line;
    }

    /// <summary>Cuts the next space- or tab-separated token off <paramref name="text"/>.</summary>
    public static bool TryTakeToken(scoped ref ReadOnlySpan<byte> text, out ReadOnlySpan<byte> token)
    {
        text = text.TrimStart(" \t"u8);
        if (text.IsEmpty)
        {
            token = default;
            return false;
        }

        int end = text.IndexOfAny(" \t"u8);
        if (end < 0)
        {
            token = text;
            text = default;
        }
        else
        {
            token = text[..end];
            text = text[end..];
        }

        return true;
    }

    public static bool TryTakeUInt64(ref ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        return TryTakeToken(ref text, out var token)
            && Utf8Parser.TryParse(token, out value, out int consumed)
            && consumed == token.Length;
    }

    public static bool TryTakeDouble(ref ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        return TryTakeToken(ref text, out var token)
            && double.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }
}
