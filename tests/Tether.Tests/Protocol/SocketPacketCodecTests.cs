using System.Text;
using System.Text.Json;
using Tether.Protocol;

namespace Tether.Tests.Protocol;

public sealed class SocketPacketCodecTests
{
    [Fact]
    public void TryDecode_EventWithNamespace()
    {
        Assert.True(SocketPacketCodec.TryDecode("2/agents,[\"ping\",{\"ts\":1}]", out var p, out _));
        Assert.Equal(SocketPacketType.Event, p!.Type);
        Assert.Equal("/agents", p.Namespace);
        Assert.Null(p.AckId);
        Assert.Equal("ping", p.Data!.Value[0].GetString());
    }

    [Fact]
    public void TryDecode_AckIdComesAfterTheNamespaceComma()
    {
        Assert.True(SocketPacketCodec.TryDecode("2/agents,17[\"x\",{}]", out var p, out _));
        Assert.Equal(17, p!.AckId);
        Assert.Equal("/agents", p.Namespace);
        Assert.Equal("x", p.Data!.Value[0].GetString());
    }

    [Fact]
    public void TryDecode_DefaultNamespace_HasNoNamespacePart()
    {
        Assert.True(SocketPacketCodec.TryDecode("2[\"x\"]", out var p, out _));
        Assert.Equal("/", p!.Namespace);
        Assert.True(SocketPacketCodec.TryDecode("23[\"x\"]", out p, out _));
        Assert.Equal(3, p!.AckId);
    }

    [Theory]
    [InlineData("0/agents,{\"sid\":\"abc\"}", (int)SocketPacketType.Connect)]
    [InlineData("1/agents,", (int)SocketPacketType.Disconnect)]
    [InlineData("1/agents", (int)SocketPacketType.Disconnect)]
    [InlineData("3/agents,5[]", (int)SocketPacketType.Ack)]
    [InlineData("4/agents,{\"message\":\"invalid signature\"}", (int)SocketPacketType.ConnectError)]
    public void TryDecode_EveryTextPacketType(string text, int expected)
    {
        Assert.True(SocketPacketCodec.TryDecode(text, out var p, out string error), error);
        Assert.Equal((SocketPacketType)expected, p!.Type);
        Assert.Equal("/agents", p.Namespace);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9")]
    [InlineData("x")]
    [InlineData("51-/agents,[\"x\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("2/agents,[\"x\"")]
    [InlineData("2/agents,{\"not\":\"an array\"}")]
    [InlineData("2/agents,[]")]
    [InlineData("2/agents,[42]")]
    [InlineData("2/agents,99999999999999999999[\"x\"]")]
    [InlineData("2/agents,")]
    public void TryDecode_Malformed_IsRefusedWithAReason(string text)
    {
        Assert.False(SocketPacketCodec.TryDecode(text, out var p, out string error));
        Assert.Null(p);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryDecode_DeeplyNestedJson_IsRefused()
    {
        string deep = "2/agents,[\"x\"," + new string('[', 200) + new string(']', 200) + "]";
        Assert.False(SocketPacketCodec.TryDecode(deep, out _, out _));
    }

    [Fact]
    public void EncodeConnect_WritesNamespaceAndAuth()
    {
        byte[] frame = SocketPacketCodec.EncodeConnect("/agents", w =>
        {
            w.WriteString("clientId", "a");
            w.WriteNumber("ts", 5);
        });
        Assert.Equal("40/agents,{\"clientId\":\"a\",\"ts\":5}", Encoding.UTF8.GetString(frame));
        Assert.Equal("40{}", Encoding.UTF8.GetString(SocketPacketCodec.EncodeConnect("/", _ => { })));
    }

    [Fact]
    public void EncodeDisconnectAndAck()
    {
        Assert.Equal("41/agents,", Encoding.UTF8.GetString(SocketPacketCodec.EncodeDisconnect("/agents")));
        Assert.Equal("43/agents,17[]", Encoding.UTF8.GetString(SocketPacketCodec.EncodeAck("/agents", 17)));
    }

    [Fact]
    public void Decode_OfEncodedEvent_RoundTrips()
    {
        var encoder = new EventFrameEncoder("/agents");
        string frame = Encoding.UTF8.GetString(encoder.Encode("stats", w => w.WriteNumber("cpu", 1.5)));
        Assert.True(EnginePacketCodec.TryDecode(Encoding.UTF8.GetBytes(frame), out var engine, out _));
        Assert.Equal(EnginePacketType.Message, engine.Type);
        Assert.True(SocketPacketCodec.TryDecode(engine.Data, out var p, out _));
        Assert.Equal(JsonValueKind.Object, p!.Data!.Value[1].ValueKind);
        Assert.Equal(1.5, p.Data!.Value[1].GetProperty("cpu").GetDouble());
    }
}
