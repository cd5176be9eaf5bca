using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tether.Config;
using Tether.Protocol;

namespace Tether.Shell;

/// <summary>
/// Turns raw terminal output into <c>shell_output</c> frames (docs/protocol.md §3): UTF-8 text whose
/// multi-byte characters are never split across reads (the decoder keeps an incomplete sequence
/// for the next chunk; invalid bytes become U+FFFD), or base64 of whole bytes. Every frame is at
/// most <c>transport.maxPayloadBytes</c> as encoded (docs/protocol.md §2): a chunk whose escaped JSON
/// would be larger is split at character boundaries.
/// </summary>
/// <remarks>Not thread-safe: one per session, used by its output pump only.</remarks>
internal sealed class ShellOutputEncoder
{
    public const string EventName = "shell_output";

    private readonly EventFrameEncoder _encoder;
    private readonly string _session;
    private readonly bool _base64;
    private readonly int _maxFrameBytes;
    private readonly int _dataBudget;
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = [];

    public ShellOutputEncoder(EventFrameEncoder encoder, string session, ShellOutputEncoding encoding, int maxFrameBytes)
    {
        _encoder = encoder;
        _session = session;
        _base64 = encoding == ShellOutputEncoding.Base64;
        _maxFrameBytes = maxFrameBytes;

        // Everything but the data string is fixed per session: measure it once.
        var overhead = Frame(string.Empty).Length;
        _dataBudget = maxFrameBytes - overhead;
        if (_dataBudget < MaxEscapedScalarBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrameBytes), maxFrameBytes, "too small for a shell_output frame of this session");
        }
    }

    /// <summary>One escaped scalar never needs more than a surrogate pair as two <c>\uXXXX</c>.</summary>
    private const int MaxEscapedScalarBytes = 12;

    /// <summary>How many frames needed a split after the size estimate (diagnostics for tests).</summary>
    public int Resplits { get; private set; }

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

        var count = _decoder.GetCharCount(raw, final);
        if (_chars.Length < count)
        {
            _chars = new char[Math.Max(count, 1024)];
        }

        var written = _decoder.GetChars(raw, _chars, final);
        EncodeText(_chars.AsSpan(0, written), frames);
    }

    private void EncodeBase64(ReadOnlySpan<byte> raw, List<byte[]> frames)
    {
        // Whole bytes only: nothing is carried between chunks.
        var perFrame = Math.Max(3, _dataBudget / 4 * 3);
        while (!raw.IsEmpty)
        {
            var take = Math.Min(perFrame, raw.Length);
            frames.Add(Frame(Convert.ToBase64String(raw[..take])));
            raw = raw[take..];
        }
    }

    private void EncodeText(ReadOnlySpan<char> text, List<byte[]> frames)
    {
        while (!text.IsEmpty)
        {
            // Take scalars while their estimated escaped size fits the budget.
            var cost = 0;
            var length = 0;
            while (length < text.Length)
            {
                Rune.DecodeFromUtf16(text[length..], out var rune, out var consumed);
                var next = EscapedSize(rune);
                if (cost + next > _dataBudget)
                {
                    break;
                }

                cost += next;
                length += consumed;
            }

            AddChecked(text[..length], frames);
            text = text[length..];
        }
    }

    /// <summary>Encodes <paramref name="piece"/>; should the estimate have been low, halves it until it fits.</summary>
    private void AddChecked(ReadOnlySpan<char> piece, List<byte[]> frames)
    {
        var frame = Frame(piece.ToString());
        if (frame.Length <= _maxFrameBytes || piece.Length <= 2)
        {
            frames.Add(frame);
            return;
        }

        Resplits++;
        var half = piece.Length / 2;
        if (char.IsHighSurrogate(piece[half - 1]))
        {
            half++;
        }

        AddChecked(piece[..half], frames);
        AddChecked(piece[half..], frames);
    }

    /// <summary>The bytes <see cref="EventFrameEncoder.WriterOptions"/> write for one scalar inside a JSON string.</summary>
    internal static int EscapedSize(Rune rune)
    {
        if (!JavaScriptEncoder.UnsafeRelaxedJsonEscaping.WillEncode(rune.Value))
        {
            return rune.Utf8SequenceLength;
        }

        return rune.Value switch
        {
            '\b' or '\t' or '\n' or '\f' or '\r' or '"' or '\\' => 2,
            _ => rune.IsBmp ? 6 : 12,
        };
    }

    private byte[] Frame(string data) => _encoder.Encode(EventName, writer => WriteMembers(writer, data));

    private void WriteMembers(Utf8JsonWriter writer, string data)
    {
        writer.WriteString("session", _session);
        writer.WriteString("data", data);
        if (_base64)
        {
            writer.WriteString("encoding", "base64");
        }
    }
}
