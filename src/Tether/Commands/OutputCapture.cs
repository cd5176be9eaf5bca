using System.Buffers;
using System.Text;

namespace Tether.Commands;

/// <summary>
/// Keeps the first <c>limit</c> bytes of one output stream and counts the rest, which the
/// caller keeps reading and dropping so the process never blocks on a full pipe (docs/protocol.md §4).
/// </summary>
/// <remarks>Not thread-safe: one reader appends, then the owner reads the text.</remarks>
internal sealed class OutputCapture
{
    private readonly int _limit;
    private readonly ArrayBufferWriter<byte> _kept;

    public OutputCapture(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        _kept = new ArrayBufferWriter<byte>(Math.Min(limit, 64 * 1024) + 1);
    }

    /// <summary>Every byte the stream produced, kept or dropped.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>True when bytes past the limit were dropped.</summary>
    public bool Truncated => TotalBytes > _kept.WrittenCount;

    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var room = _limit - _kept.WrittenCount;
        if (room > 0)
        {
            _kept.Write(data[..Math.Min(room, data.Length)]);
        }
    }

    /// <summary>
    /// The kept bytes as text: UTF-8 with U+FFFD for invalid sequences; when the limit cut the
    /// stream, an incomplete character at the cut is left out rather than split.
    /// </summary>
    public string Decode()
    {
        var bytes = _kept.WrittenSpan;
        if (Truncated)
        {
            bytes = bytes[..Utf8Text.CompletePrefixLength(bytes)];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
