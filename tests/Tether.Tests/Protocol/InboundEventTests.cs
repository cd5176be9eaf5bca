using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tether.Protocol;

namespace Tether.Tests.Protocol;

public sealed class InboundEventTests
{
    private static SocketPacket Packet(string json)
    {
        Assert.True(SocketPacketCodec.TryDecode("2/agents," + json, out var p, out string error), error);
        return p!;
    }

    [Fact]
    public void TryFrom_NamedEvent()
    {
        Assert.True(InboundEvent.TryFrom(Packet("[\"ping\",{\"ts\":5}]"), out var e, out _));
        Assert.Equal("ping", e!.Name);
        Assert.False(e.ViaMessageEnvelope);
        Assert.Equal(5, e.Payload.GetProperty("ts").GetInt32());
    }

    [Theory]
    [InlineData("[\"message\",{\"type\":\"ping\",\"ts\":5}]")]
    [InlineData("[\"message\",{\"t\":\"ping\",\"ts\":5}]")]
    public void TryFrom_MessageEnvelope_IsHandledLikeTheNamedEvent(string json)
    {
        Assert.True(InboundEvent.TryFrom(Packet(json), out var e, out _));
        Assert.Equal("ping", e!.Name);
        Assert.True(e.ViaMessageEnvelope);
        Assert.Equal(5, e.Payload.GetProperty("ts").GetInt32());
    }

    [Theory]
    [InlineData("[\"message\"]")]
    [InlineData("[\"message\",\"ping\"]")]
    [InlineData("[\"message\",{\"type\":5}]")]
    [InlineData("[\"message\",{\"type\":\"\"}]")]
    [InlineData("[\"\"]")]
    public void TryFrom_BadEnvelopeOrName_IsRefused(string json) =>
        Assert.False(InboundEvent.TryFrom(Packet(json), out _, out _));

    [Fact]
    public void TryFrom_EventWithoutArguments_HasUndefinedPayload()
    {
        Assert.True(InboundEvent.TryFrom(Packet("[\"hello_ack\"]"), out var e, out _));
        Assert.Equal(JsonValueKind.Undefined, e!.Payload.ValueKind);
    }

    [Fact]
    public async Task Dispatcher_WhenAHandlerThrows_OtherEventsAreStillDispatched()
    {
        var dispatcher = new EventDispatcher(NullLogger<EventDispatcher>.Instance);
        int calls = 0;
        dispatcher.On("bad", (_, _) => throw new InvalidOperationException("boom"));
        dispatcher.On("good", (_, _) =>
        {
            calls++;
            return ValueTask.CompletedTask;
        });
        Assert.True(InboundEvent.TryFrom(Packet("[\"bad\",{}]"), out var bad, out _));
        Assert.True(InboundEvent.TryFrom(Packet("[\"good\",{}]"), out var good, out _));
        await dispatcher.DispatchAsync(bad!, CancellationToken.None);
        await dispatcher.DispatchAsync(good!, CancellationToken.None);
        await dispatcher.DispatchAsync(bad!, CancellationToken.None);
        await dispatcher.DispatchAsync(good!, CancellationToken.None);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Dispatcher_UnknownEvent_IsIgnored()
    {
        var dispatcher = new EventDispatcher(NullLogger<EventDispatcher>.Instance);
        Assert.True(InboundEvent.TryFrom(Packet("[\"nobody\",{}]"), out var e, out _));
        await dispatcher.DispatchAsync(e!, CancellationToken.None);
        Assert.False(dispatcher.Handles("nobody"));
    }
}
