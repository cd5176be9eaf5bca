using System.Text.Json.Nodes;
using Tether.IntegrationTests.Commands;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Shell;

/// <summary>docs/protocol.md §4: shells and admin commands share <c>admin.maxConcurrent</c>.</summary>
public sealed class ShellSlotSharingTests
{
    [Fact]
    public async Task OpenShell_TakesTheOnlySlot_FromAdminRun_AndGivesItBackWhenClosed()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-slots", Configure);
        await h.OpenShellAsync("s1");
        var busy = await AdminRun.RunAsync(h.Peer, h.ClientId, "c1", "echo hi");
        Assert.Equal(429, AdminRun.Code(busy));

        await h.Peer.EmitAsync("shell_close", new { session = "s1" });
        await h.WaitForClosedAsync("s1");
        Assert.Equal(0, AdminRun.Code(await AdminRun.RunAsync(h.Peer, h.ClientId, "c2", "echo hi")));
    }

    [Fact]
    public async Task RunningCommand_TakesTheOnlySlot_FromShellStart()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-slots-cmd", Configure);
        await AdminRun.EmitAsync(h.Peer, h.ClientId, "c1", "sleep 3");
        await h.Agent.WaitForLogAsync(r => ShellBasicsTests.Message(r).StartsWith("admin_run c1 starting", StringComparison.Ordinal), Waits.Event);
        await h.StartShellAsync("s1");
        var closed = await h.WaitForClosedAsync("s1");
        Assert.Equal("busy", closed.Payload.GetProperty("reason").GetString());
    }

    private static void Configure(JsonObject config)
    {
        var admin = AgentShellHarness.Section(config, "admin");
        admin["maxConcurrent"] = 1;
        admin["allowedCommands"] = new JsonArray("echo", "sleep");
    }
}
