using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class ShutdownTests
{
    // docs/protocol.md §7 asks for an exit within 5 s; the agent bounds its drain at 2 s and its close at
    // 1 s. The deadline here is looser only so a loaded CI machine does not make it flaky.
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(15)] // SIGTERM
    [InlineData(2)] // SIGINT
    public async Task Signal_DisconnectsCleanly_AndExitsZero(int signal)
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("stopping-" + signal));
        await peer.WaitForEventAsync("stats", Waits.Event, CancellationToken.None);

        agent.SendSignal(signal);
        Assert.Equal(0, await agent.WaitForExitAsync(ExitDeadline));
        var gone = await peer.WaitForAsync("disconnect", null, Waits.Event);
        Assert.Equal("client namespace disconnect", gone.Reason);
        Assert.Contains(agent.ReadLogRecords(), r => HandshakeTests.Message(r) == "tether stopped");
    }

    [Fact]
    public async Task Sigterm_WhileTheServerIsDown_StillExitsZero()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(peer.CreateAgentConfig("stopping-offline"));
        await peer.WaitForAsync("connect", null, Waits.Event);
        await peer.StopAsync();
        await agent.WaitForLogAsync(r => HandshakeTests.Message(r).StartsWith("reconnecting in", StringComparison.Ordinal), Waits.Event);

        agent.SendSignal(15);
        Assert.Equal(0, await agent.WaitForExitAsync(ExitDeadline));
    }
}
