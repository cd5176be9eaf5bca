using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// The ConPTY shell of the win-x64 file under Wine. Wine 8 leaves the standard handles of a
/// process attached to a pseudo console empty, so cmd.exe started the default way exits at
/// once (tests/wine/conpty-control.c shows it without the agent); the shell here is configured
/// as <c>cmd.exe /c "cmd.exe &lt;CON &gt;CON 2&gt;CON"</c>, which connects them to the console.
/// </summary>
[Trait("Category", "Windows")]
public sealed class WindowsShellTests
{
    [Fact]
    public async Task ConShell_RunsTypedCommands_AndItsExitCodeEndsTheSession()
    {
        WindowsAgentTests.RequireWindowsAgent();
        await using var h = await AgentShellHarness.StartAsync("win-shell", config => config["shell"] = ConShell());
        var shell = new ShellOutputReader(h, "w1");
        await h.StartShellAsync("w1");

        // The result of the sum is printed only when cmd.exe read and ran the line.
        shell.Mark();
        await h.InputAsync("w1", "set /a 4000+321\r");
        await shell.WaitForAsync("4321", Waits.Reconnect);

        await h.InputAsync("w1", "exit 7\r");
        var closed = await h.WaitForClosedAsync("w1");
        Assert.Equal(7, closed.Payload.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ConShell_ASecondStartIsBusy_AndCloseEndsTheWholeTree()
    {
        WindowsAgentTests.RequireWindowsAgent();
        await using var h = await AgentShellHarness.StartAsync("win-shell-tree", config =>
        {
            config["shell"] = ConShell();
            AgentShellHarness.Section(config, "admin")["maxConcurrent"] = 1;
        });
        await h.StartShellAsync("w1");
        const string Grandchild = "ping -n 91 127.0.0.1";
        await h.InputAsync("w1", Grandchild + "\r");
        await Poll.UntilAsync(() => WindowsAgentTests.ProcessesRunning(Grandchild).Count > 0, Waits.Reconnect, "ping.exe to start in the shell");

        await h.StartShellAsync("w2");
        var busy = await h.WaitForClosedAsync("w2");
        Assert.Equal("busy", busy.Payload.GetProperty("reason").GetString());

        await h.Peer.EmitAsync("shell_close", new JsonObject { ["session"] = "w1" });
        await h.WaitForClosedAsync("w1");
        await Poll.UntilAsync(() => WindowsAgentTests.ProcessesRunning(Grandchild).Count == 0, Waits.Event, "ping.exe to end with the shell's job");
    }

    [Fact]
    public async Task ConShell_EchoesTypedUtf8_BackAsUtf8()
    {
        WindowsAgentTests.RequireWindowsAgent();
        await using var h = await AgentShellHarness.StartAsync("win-shell-utf8", config => config["shell"] = ConShell());
        var shell = new ShellOutputReader(h, "w1");
        await h.StartShellAsync("w1");
        shell.Mark();
        await h.InputAsync("w1", "set /a 4000+321\r");
        await shell.WaitForAsync("4321", Waits.Reconnect);

        // The console echoes what is typed: non-ASCII text goes in as UTF-8 and must come back as UTF-8.
        shell.Mark();
        await h.InputAsync("w1", "rem \u00e9t\u00e9 \u2192 ok\r");
        await shell.WaitForAsync("\u00e9t\u00e9 \u2192 ok", Waits.Event);
    }

    [Fact]
    public async Task Shell_Disabled_IsRefused()
    {
        WindowsAgentTests.RequireWindowsAgent();
        await using var h = await AgentShellHarness.StartAsync("win-shell-off", config =>
        {
            config["shell"] = ConShell();
            AgentShellHarness.Section(config, "admin")["enableShell"] = false;
        });
        await h.StartShellAsync("w1");
        var closed = await h.WaitForClosedAsync("w1");
        Assert.Equal("shell disabled", closed.Payload.GetProperty("reason").GetString());
    }

    private static JsonObject ConShell() => new()
    {
        ["command"] = "cmd.exe",
        ["args"] = new JsonArray("/c", "cmd.exe <CON >CON 2>CON"),
    };
}
