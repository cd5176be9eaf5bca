using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tether.Protocol;

namespace Tether.Tests.Protocol;

public sealed partial class EventFrameEncoderTests
{
    private readonly EventFrameEncoder _encoder = new("/agents");

    [Fact]
    public void Encode_WithMembers_AddsTypeAndT()
    {
        string frame = Encoding.UTF8.GetString(_encoder.Encode("pong", w => w.WriteNumber("ts", 12)));
        Assert.Equal("42/agents,[\"pong\",{\"type\":\"pong\",\"t\":\"pong\",\"ts\":12}]", frame);
    }

    [Fact]
    public void Encode_TypedPayload_SplicesTypeAndTBeforeItsMembers()
    {
        string frame = Encoding.UTF8.GetString(_encoder.Encode("shell_closed", new Sample("s1", 3), TestJsonContext.Default.Sample));
        Assert.Equal("42/agents,[\"shell_closed\",{\"type\":\"shell_closed\",\"t\":\"shell_closed\",\"session\":\"s1\",\"code\":3}]", frame);
        using var doc = JsonDocument.Parse(frame["42/agents,".Length..]);
        Assert.Equal("s1", doc.RootElement[1].GetProperty("session").GetString());
    }

    [Fact]
    public void Encode_EmptyTypedPayload_IsStillAnObject()
    {
        string frame = Encoding.UTF8.GetString(_encoder.Encode("x", new Empty(), TestJsonContext.Default.Empty));
        Assert.Equal("42/agents,[\"x\",{\"type\":\"x\",\"t\":\"x\"}]", frame);
    }

    [Fact]
    public void Encode_KeepsNonAsciiAsUtf8_AndEscapesControlCharacters()
    {
        byte[] frame = _encoder.Encode("e", w => w.WriteString("data", "中<&>\0\"\\"));
        string text = Encoding.UTF8.GetString(frame);
        Assert.Contains("\"data\":\"中<&>\\u0000\\\"\\\\\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_DefaultNamespace_HasNoPrefix()
    {
        var encoder = new EventFrameEncoder("/");
        Assert.StartsWith("42[\"e\"", Encoding.UTF8.GetString(encoder.Encode("e", _ => { })), StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_ReusesItsBuffers_WithoutLeakingOneFrameIntoTheNext()
    {
        string big = new('x', 200_000); // past the kept capacity: the buffers are let go
        byte[] first = _encoder.Encode("shell_closed", new Sample("s1", 3), TestJsonContext.Default.Sample);
        byte[] large = _encoder.Encode("e", w => w.WriteString("data", big));
        byte[] again = _encoder.Encode("shell_closed", new Sample("s1", 3), TestJsonContext.Default.Sample);
        byte[] small = _encoder.Encode("pong", w => w.WriteNumber("ts", 1));
        Assert.Equal(first, again);
        Assert.Equal(200_000 + "42/agents,[\"e\",{\"type\":\"e\",\"t\":\"e\",\"data\":\"\"}]".Length, large.Length);
        Assert.Equal("42/agents,[\"pong\",{\"type\":\"pong\",\"t\":\"pong\",\"ts\":1}]", Encoding.UTF8.GetString(small));
    }

    [Fact]
    public async Task Encode_FromManyThreads_GivesEachCallerItsOwnFrame()
    {
        var frames = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            (i, Encoding.UTF8.GetString(_encoder.Encode("shell_closed", new Sample("s" + i, i), TestJsonContext.Default.Sample))))));
        foreach (var (i, frame) in frames)
        {
            Assert.Equal($"42/agents,[\"shell_closed\",{{\"type\":\"shell_closed\",\"t\":\"shell_closed\",\"session\":\"s{i}\",\"code\":{i}}}]", frame);
        }
    }

    internal sealed record Sample(string Session, int Code);

    internal sealed record Empty;

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(Sample))]
    [JsonSerializable(typeof(Empty))]
    internal sealed partial class TestJsonContext : JsonSerializerContext;
}
