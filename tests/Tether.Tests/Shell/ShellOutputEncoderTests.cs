using System.Text;
using System.Text.Json;
using Tether.Config;
using Tether.Protocol;
using Tether.Shell;

namespace Tether.Tests.Shell;

public sealed class ShellOutputEncoderTests
{
    private static readonly EventFrameEncoder Frames = new("/agents");

    public static TheoryData<string> MultiByteCharacters => new() { "é", "中", "😀" };

    [Theory]
    [MemberData(nameof(MultiByteCharacters))]
    public void ReadBoundaryInsideACharacter_NeverBreaksIt(string character)
    {
        var bytes = Encoding.UTF8.GetBytes("a" + character + "b");
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var encoder = new ShellOutputEncoder(Frames, "s", ShellOutputEncoding.Utf8, 1_000_000);
            var frames = new List<byte[]>();
            encoder.Encode(bytes.AsSpan(0, cut), final: false, frames);
            encoder.Encode(bytes.AsSpan(cut), final: false, frames);
            Assert.Equal("a" + character + "b", Data(frames));
        }
    }

    [Fact]
    public void PrintfOfTheIssue_SplitAtEveryByte_ArrivesIntact()
    {
        // printf 'h\xc3\xa9llo \xe4\xb8\xad \xf0\x9f\x98\x80'
        byte[] bytes = [.. "h"u8, 0xc3, 0xa9, .. "llo "u8, 0xe4, 0xb8, 0xad, (byte)' ', 0xf0, 0x9f, 0x98, 0x80];
        var encoder = new ShellOutputEncoder(Frames, "s", ShellOutputEncoding.Utf8, 1_000_000);
        var frames = new List<byte[]>();
        foreach (var b in bytes)
        {
            encoder.Encode([b], final: false, frames);
        }

        Assert.Equal("héllo 中 😀", Data(frames));
    }

    [Fact]
    public void InvalidBytes_BecomeReplacementCharacters_AndATruncatedTailIsFlushedAtTheEnd()
    {
        var encoder = new ShellOutputEncoder(Frames, "s", ShellOutputEncoding.Utf8, 1_000_000);
        var frames = new List<byte[]>();
        encoder.Encode([(byte)'x', 0xff, (byte)'y', 0xe4, 0xb8], final: false, frames);
        Assert.Equal("x\uFFFDy", Data(frames));
        frames.Clear();
        encoder.Encode([], final: true, frames);
        Assert.Equal("\uFFFD", Data(frames));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(1_000_000)]
    public void EveryFrame_FitsMaxPayload_AndTheTextSurvives_ForEscapeHeavyOutput(int max)
    {
        var random = new Random(42);
        var chunks = new List<byte[]>
        {
            Enumerable.Repeat((byte)1, 65533).ToArray(),
            Enumerable.Repeat((byte)'"', 65533).ToArray(),
            Enumerable.Repeat((byte)'\\', 20000).ToArray(),
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("😀中é\n\r\t\u007f\u0085\u2028", 3000))),
        };
        var noise = new byte[65533];
        random.NextBytes(noise);
        chunks.Add(noise);

        var session = "sess-\"quoted\"-é";
        var encoder = new ShellOutputEncoder(Frames, session, ShellOutputEncoding.Utf8, max);
        var reference = new UTF8Encoding(false, false).GetDecoder();
        var expected = new StringBuilder();
        var frames = new List<byte[]>();
        foreach (var chunk in chunks)
        {
            encoder.Encode(chunk, final: false, frames);
            var chars = new char[chunk.Length + 4];
            expected.Append(chars, 0, reference.GetChars(chunk, chars, flush: false));
        }

        Assert.All(frames, f => Assert.True(f.Length <= max, $"frame of {f.Length} bytes > {max}"));
        Assert.Equal(expected.ToString(), Data(frames, session));
        if (max < 1_000_000)
        {
            // Frames are filled, not merely small: at least half the budget on average.
            var total = frames.Sum(f => (long)f.Length);
            Assert.True(total / frames.Count > max / 2, $"average frame {total / frames.Count}");
        }
    }

    [Fact]
    public void Base64_EncodesWholeBytes_SplitsToFit_AndCarriesNothing()
    {
        var raw = new byte[65533];
        new Random(7).NextBytes(raw);
        var encoder = new ShellOutputEncoder(Frames, "s", ShellOutputEncoding.Base64, 4096);
        var frames = new List<byte[]>();
        encoder.Encode(raw.AsSpan(0, 1001), final: false, frames);
        encoder.Encode(raw.AsSpan(1001), final: false, frames);
        Assert.All(frames, f => Assert.True(f.Length <= 4096));
        var decoded = frames.SelectMany(f => Convert.FromBase64String(Payload(f).GetProperty("data").GetString()!)).ToArray();
        Assert.Equal(raw, decoded);
        Assert.All(frames, f => Assert.Equal("base64", Payload(f).GetProperty("encoding").GetString()));
    }

    [Fact]
    public void EscapedSize_MatchesTheWriter_ForEveryBmpScalarAndSomeAstralOnes()
    {
        var baseLength = FrameLength("");
        for (var value = 0; value <= 0x10FFFF; value = value < 0xFFFF ? value + 1 : value + 4099)
        {
            if (!Rune.IsValid(value))
            {
                continue;
            }

            var rune = new Rune(value);
            Assert.True(
                FrameLength(rune.ToString()) - baseLength == ShellOutputEncoder.EscapedSize(rune),
                $"U+{value:X4}: estimate {ShellOutputEncoder.EscapedSize(rune)}");
        }
    }

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Frames_AreByteForByteWhatTheJsonWriterWritesForTheDecodedText_AtAnyReadBoundaries(int seed)
    {
        // Escaping straight from UTF-8 must give the very bytes the old path gave: UTF-8 decoder,
        // then Utf8JsonWriter with the protocol's encoder (docs/protocol.md §3).
        var random = new Random(seed);
        byte[][] odd = [[0], [1], [0x1b], [0x7f], [0x80], [0xbf], [0xc0], [0xc3], [0xe4, 0xb8], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xfe], [0xff]];
        var alphabet = new List<byte[]>(odd) { "a"u8.ToArray(), "Z"u8.ToArray(), "/"u8.ToArray(), "<&>'+`"u8.ToArray(), "\\"u8.ToArray(), "\""u8.ToArray(), "\r\n"u8.ToArray() };
        foreach (var text in new[] { "é", "中", "😀", "\u0085", "\u00a0", "\u00ad", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff", "\U000e0001", "\u0378", "\ue000" })
        {
            alphabet.Add(Encoding.UTF8.GetBytes(text));
        }

        var raw = new List<byte>();
        while (raw.Count < 20_000)
        {
            raw.AddRange(random.Next(3) == 0 ? alphabet[random.Next(alphabet.Count)] : "plain text "u8.ToArray());
        }

        var bytes = raw.ToArray();
        var session = "s-\"é\"";
        var encoder = new ShellOutputEncoder(Frames, session, ShellOutputEncoding.Utf8, 1_000_000);
        var frames = new List<byte[]>();
        var reference = new UTF8Encoding(false, false).GetDecoder();
        var expected = new List<byte[]>();
        var at = 0;
        while (at < bytes.Length)
        {
            var length = Math.Min(random.Next(1, 3000), bytes.Length - at);
            var final = at + length == bytes.Length;
            var chunk = bytes.AsSpan(at, length);
            encoder.Encode(chunk, final, frames);
            var chars = new char[length + 8];
            var text = new string(chars, 0, reference.GetChars(chunk, chars, final));
            if (text.Length > 0)
            {
                expected.Add(Frames.Encode("shell_output", w =>
                {
                    w.WriteString("session", session);
                    w.WriteString("data", text);
                }));
            }

            at += length;
        }

        Assert.Equal(expected.Count, frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(Encoding.UTF8.GetString(expected[i]), Encoding.UTF8.GetString(frames[i]));
        }
    }

    [Fact]
    public void Base64Frames_AreByteForByteWhatTheJsonWriterWrites()
    {
        var raw = new byte[10_000];
        new Random(3).NextBytes(raw);
        var encoder = new ShellOutputEncoder(Frames, "s", ShellOutputEncoding.Base64, 1_000_000);
        var frames = new List<byte[]>();
        encoder.Encode(raw, final: false, frames);
        var expected = Frames.Encode("shell_output", w =>
        {
            w.WriteString("session", "s");
            w.WriteString("data", Convert.ToBase64String(raw));
            w.WriteString("encoding", "base64");
        });
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(Assert.Single(frames)));
    }

    private static int FrameLength(string data) => Frames.Encode("shell_output", w =>
    {
        w.WriteString("session", "s");
        w.WriteString("data", data);
    }).Length;

    private static string Data(List<byte[]> frames, string session = "s")
    {
        var text = new StringBuilder();
        foreach (var frame in frames)
        {
            var payload = Payload(frame);
            Assert.Equal("shell_output", payload.GetProperty("type").GetString());
            Assert.Equal(session, payload.GetProperty("session").GetString());
            text.Append(payload.GetProperty("data").GetString());
        }

        return text.ToString();
    }

    private static JsonElement Payload(byte[] frame)
    {
        var prefix = "42/agents,"u8;
        Assert.True(frame.AsSpan().StartsWith(prefix));
        using var doc = JsonDocument.Parse(frame.AsMemory(prefix.Length));
        return doc.RootElement[1].Clone();
    }
}
