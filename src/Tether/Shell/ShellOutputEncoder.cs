using System.Buffers.Text;
using System.Text;
using Tether.Config;
using Tether.Protocol;

namespace Tether.Shell;

/// <summary>
/// Turns raw terminal output into <c>shell_output</c> frames (docs/protocol.md §3): UTF-8 text whose
/// multi-byte characters are never split across reads (an incomplete sequence at the end of a
/// chunk waits for the next one; invalid bytes become U+FFFD), or base64 of whole bytes. Every
/// frame is at most <c>transport.maxPayloadBytes</c> as encoded (docs/protocol.md §2): a chunk whose
/// escaped JSON would be larger is split at character boundaries.
/// </summary>
/// <remarks>
/// The bytes go from the read buffer straight into the frame: everything around <c>data</c> is
/// fixed per session and written once, the data is escaped from UTF-8 to JSON in one pass
/// (<see cref="JsonTextEscaper"/>) or base64-encoded in place, and the only other copy is the
/// finished frame leaving the scratch buffer. No UTF-16 text, string or JSON writer in between,
/// so the cost is proportional to the bytes. Not thread-safe: one per session, used by its
/// output pump only.
/// </remarks>
internal sealed class ShellOutputEncoder
{
    public const string EventName = "shell_output";

    /// <summary>An incomplete UTF-8 sequence is at most 3 bytes; it and 3 bytes of the next chunk always finish it.</summary>
    private const int MaxCarry = 3;

    private readonly bool _base64;
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly int _dataBudget;
    private readonly byte[] _carry = new byte[MaxCarry];
    private int _carried;
    private byte[] _scratch = [];

    public ShellOutputEncoder(EventFrameEncoder encoder, string session, ShellOutputEncoding encoding, int maxFrameBytes)
    {
        _base64 = encoding == ShellOutputEncoding.Base64;

        // Everything but the data is fixed per session: encode a frame with empty data once and
        // keep what goes before and after it (a quote in the session id is escaped, so the
        // member below occurs exactly once, unescaped).
        var empty = encoder.Encode(EventName, writer =>
        {
            writer.WriteString("session", session);
            writer.WriteString("data", string.Empty);
            if (_base64)
            {
                writer.WriteString("encoding", "base64");
            }
        });
        var data = "\"data\":\""u8;
        var at = empty.AsSpan().LastIndexOf("\"data\":\"\""u8) + data.Length;
        _head = empty[..at];
        _tail = empty[at..];
        _dataBudget = maxFrameBytes - empty.Length;
        if (_dataBudget < JsonTextEscaper.MaxEscapedScalarBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrameBytes), maxFrameBytes, "too small for a shell_output frame of this session");
        }
    }

    /// <summary>The bytes the writer writes for one scalar inside a JSON string.</summary>
    internal static int EscapedSize(Rune rune) => JsonTextEscaper.EscapedSize(rune);

    /// <summary>
    /// Appends the frames for <paramref name="raw"/> to <paramref name="frames"/>.
    /// <paramref name="final"/> flushes an incomplete trailing UTF-8 sequence as U+FFFD.
    /// </summary>
    public void Encode(ReadOnlySpan<byte> raw, bool final, List<byte[]> frames)
    {
        if (_base64)
        {
            EncodeBase64(raw, frames);
            return;
        }

        Begin(raw.Length + _carried);
        var length = _head.Length;
        if (_carried > 0)
        {
            raw = raw[FinishCarried(raw, final, frames, ref length)..];
        }

        while (!raw.IsEmpty)
        {
            var read = JsonTextEscaper.Escape(raw, Room(length), final, out var written);
            length += written;
            raw = raw[read..];
            if (raw.IsEmpty)
            {
                break;
            }

            if (!final && Incomplete(raw))
            {
                // An incomplete character at the end: it waits for the next chunk.
                raw.CopyTo(_carry);
                _carried = raw.Length;
                break;
            }

            // The frame is full.
            Flush(frames, length);
            length = _head.Length;
        }

        if (length > _head.Length)
        {
            Flush(frames, length);
        }
    }

    /// <summary>Completes the character carried over from the last chunk with the first bytes of this one.</summary>
    /// <returns>How many bytes of <paramref name="raw"/> that used.</returns>
    private int FinishCarried(ReadOnlySpan<byte> raw, bool final, List<byte[]> frames, ref int length)
    {
        Span<byte> joined = stackalloc byte[MaxCarry * 2];
        var borrowed = Math.Min(raw.Length, MaxCarry);
        _carry.AsSpan(0, _carried).CopyTo(joined);
        raw[..borrowed].CopyTo(joined[_carried..]);
        joined = joined[..(_carried + borrowed)];

        // Only when the joined bytes hold the whole chunk may its end be flushed as final.
        var last = final && borrowed == raw.Length;
        var position = 0;
        while (position < _carried)
        {
            var read = JsonTextEscaper.Escape(joined[position..], Room(length), last, out var written);
            position += read;
            length += written;
            if (read > 0)
            {
                continue;
            }

            if (!last && Incomplete(joined[position..]))
            {
                // Still incomplete: the chunk was shorter than the rest of the character.
                joined[position..].CopyTo(_carry);
                _carried = joined.Length - position;
                return raw.Length;
            }

            Flush(frames, length);
            length = _head.Length;
        }

        var used = position - _carried;
        _carried = 0;
        return used;
    }

    /// <summary>True when <paramref name="rest"/> is the start of a character whose other bytes have not been read yet.</summary>
    private static bool Incomplete(ReadOnlySpan<byte> rest) =>
        rest.Length <= MaxCarry && Rune.DecodeFromUtf8(rest, out _, out _) == System.Buffers.OperationStatus.NeedMoreData;

    /// <summary>The free part of the scratch frame after <paramref name="length"/> bytes, within the frame budget.</summary>
    private Span<byte> Room(int length) => _scratch.AsSpan(length, Math.Min(_head.Length + _dataBudget, _scratch.Length) - length);

    private void EncodeBase64(ReadOnlySpan<byte> raw, List<byte[]> frames)
    {
        // Whole bytes only: nothing is carried between chunks.
        var perFrame = Math.Max(3, _dataBudget / 4 * 3);
        while (!raw.IsEmpty)
        {
            var take = Math.Min(perFrame, raw.Length);
            var frame = Begin(take);
            Base64.EncodeToUtf8(raw[..take], frame.AsSpan(_head.Length), out _, out var written);
            Flush(frames, _head.Length + written);
            raw = raw[take..];
        }
    }

    /// <summary>The scratch frame (head and data; the tail is added by <see cref="Flush"/>) with the head in place, big enough for <paramref name="rawBytes"/> escaped or the budget.</summary>
    private byte[] Begin(int rawBytes)
    {
        // Six bytes a raw byte at worst (a control character as \u0001); whole scalars need room for 12.
        var worst = _base64 ? ((rawBytes + 2) / 3 * 4) : (long)rawBytes * 6;
        var size = _head.Length + (int)Math.Min(Math.Max(worst, JsonTextEscaper.MaxEscapedScalarBytes), _dataBudget);
        if (_scratch.Length < size)
        {
            _scratch = GC.AllocateUninitializedArray<byte>(size);
            _head.CopyTo(_scratch, 0);
        }

        return _scratch;
    }

    /// <summary>Closes the frame in the scratch buffer at <paramref name="length"/> and hands out a copy of it.</summary>
    private void Flush(List<byte[]> frames, int length)
    {
        var frame = GC.AllocateUninitializedArray<byte>(length + _tail.Length);
        _scratch.AsSpan(0, length).CopyTo(frame);
        _tail.CopyTo(frame, length);
        frames.Add(frame);
    }
}
