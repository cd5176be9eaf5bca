using System.Text;
using Tether.Protocol;

namespace Tether.Tests.Protocol;

public sealed class EnginePacketCodecTests
{
    [Theory]
    [InlineData("0{\"sid\":\"x\"}", (int)EnginePacketType.Open, "{\"sid\":\"x\"}")]
    [InlineData("1", (int)EnginePacketType.Close, "")]
    [InlineData("2", (int)EnginePacketType.Ping, "")]
    [InlineData("3", (int)EnginePacketType.Pong, "")]
    [InlineData("42[\"a\"]", (int)EnginePacketType.Message, "2[\"a\"]")]
    [InlineData("5", (int)EnginePacketType.Upgrade, "")]
    [InlineData("6", (int)EnginePacketType.Noop, "")]
    public void TryDecode_EveryPacketType(string text, int type, string data)
    {
        Assert.True(EnginePacketCodec.TryDecode(Encoding.UTF8.GetBytes(text), out var p, out _));
        Assert.Equal((EnginePacketType)type, p.Type);
        Assert.Equal(data, p.Data);
    }

    [Fact]
    public void TryDecode_EmptyUnknownOrInvalidUtf8_IsRefused()
    {
        Assert.False(EnginePacketCodec.TryDecode([], out _, out _));
        Assert.False(EnginePacketCodec.TryDecode("7"u8, out _, out _));
        Assert.False(EnginePacketCodec.TryDecode("x"u8, out _, out _));
        Assert.False(EnginePacketCodec.TryDecode([(byte)'4', 0xC3], out _, out string error));
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeControl_IsTheBareDigit()
    {
        Assert.Equal("3"u8.ToArray(), EnginePacketCodec.EncodeControl(EnginePacketType.Pong));
        Assert.Equal("2"u8.ToArray(), EnginePacketCodec.EncodeControl(EnginePacketType.Ping));
    }

    [Fact]
    public void EngineOpenInfo_ParsesTheServerOpenPacket()
    {
        Assert.True(EngineOpenInfo.TryParse("{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}", out var open, out _));
        Assert.Equal("abc", open!.Sid);
        Assert.Equal(TimeSpan.FromSeconds(25), open.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), open.PingTimeout);
        Assert.Equal(1_000_000, open.MaxPayload);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"sid\":\"a\"}")]
    [InlineData("{\"sid\":1,\"pingInterval\":1,\"pingTimeout\":1}")]
    [InlineData("{\"sid\":\"a\",\"pingInterval\":-1,\"pingTimeout\":1}")]
    public void EngineOpenInfo_Malformed_IsRefused(string json) =>
        Assert.False(EngineOpenInfo.TryParse(json, out _, out _));
}
