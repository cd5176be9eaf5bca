using System.Text;
using System.Text.Json;
using Tether.Commands;
using Tether.Policy;
using Tether.Protocol;

namespace Tether.Tests.Commands;

public sealed class AdminResultEncoderTests
{
    private static readonly EventFrameEncoder Encoder = new("/agents");

    private static AdminResult Result(string stdout, string stderr, string command = "echo hi") =>
        new(JsonDocument.Parse("\"tok-1\"").RootElement.Clone(), command, stdout, stderr, 0, null, 12, false, null);

    private static JsonElement Payload(byte[] frame)
    {
        var text = Encoding.UTF8.GetString(frame);
        var json = text[text.IndexOf('[', StringComparison.Ordinal)..];
        return JsonDocument.Parse(json).RootElement[1].Clone();
    }

    [Fact]
    public void Encode_SmallResult_IsUnchangedAndHasTheContractShape()
    {
        var (frame, sent) = AdminResultEncoder.Encode(Encoder, Result("out", "err"), 1_000_000);
        var p = Payload(frame);
        Assert.Equal("admin_result", p.GetProperty("type").GetString());
        Assert.Equal("admin_result", p.GetProperty("t").GetString());
        Assert.Equal("tok-1", p.GetProperty("token").GetString());
        Assert.Equal("echo hi", p.GetProperty("command").GetString());
        var result = p.GetProperty("result");
        Assert.Equal("out", result.GetProperty("stdout").GetString());
        Assert.Equal("err", result.GetProperty("stderr").GetString());
        Assert.Equal(0, result.GetProperty("summary").GetProperty("code").GetInt32());
        Assert.Equal(12, result.GetProperty("summary").GetProperty("durationMs").GetInt64());
        Assert.False(result.GetProperty("summary").TryGetProperty("truncated", out _));
        Assert.False(result.GetProperty("summary").TryGetProperty("signal", out _));
        Assert.False(result.TryGetProperty("error", out _));
        Assert.False(sent.Truncated);
    }

    [Theory]
    [InlineData('x')]
    [InlineData('\0')]     // six bytes escaped
    [InlineData('中')]     // three bytes
    [InlineData('"')]      // two bytes
    public void Encode_TooLarge_CutsTheLongerStreamUntilTheFrameFits(char fill)
    {
        const int Max = 10_000;
        var (frame, sent) = AdminResultEncoder.Encode(Encoder, Result(new string(fill, 50_000), new string('e', 100)), Max);
        Assert.True(frame.Length <= Max, $"frame {frame.Length} > {Max}");
        Assert.True(frame.Length > Max - 64, $"frame {frame.Length} was cut far more than needed");
        Assert.True(sent.Truncated);
        Assert.Equal(new string('e', 100), sent.Stderr);
        var p = Payload(frame).GetProperty("result");
        Assert.True(p.GetProperty("summary").GetProperty("truncated").GetBoolean());
        Assert.Equal(sent.Stdout, p.GetProperty("stdout").GetString());
    }

    [Fact]
    public void Encode_BothStreamsLarge_CutsBothAndNeverSplitsASurrogatePair()
    {
        const int Max = 5_000;
        var emoji = string.Concat(Enumerable.Repeat("😀", 5_000));
        var (frame, sent) = AdminResultEncoder.Encode(Encoder, Result(emoji, emoji), Max);
        Assert.True(frame.Length <= Max);
        Assert.Equal(0, sent.Stdout.Length % 2);
        Assert.Equal(0, sent.Stderr.Length % 2);
        Assert.False(sent.Stdout.Length > 0 && char.IsHighSurrogate(sent.Stdout[^1]));
        Assert.Equal(-1, TextChecks.IndexOfLoneSurrogate(sent.Stdout));
    }

    [Fact]
    public void Encode_HugeCommandWithoutOutput_CutsTheCommandLast()
    {
        var (frame, sent) = AdminResultEncoder.Encode(Encoder, Result("", "", new string('c', 20_000)), 2_000);
        Assert.True(frame.Length <= 2_000);
        Assert.True(sent.Truncated);
        Assert.StartsWith("ccc", sent.Command, StringComparison.Ordinal);
    }
}
