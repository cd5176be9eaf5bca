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
        await using var h = await AgentShellHarness.StartAsync("win-shell", config => config["shell"] = new JsonObject
        {
            ["command"] = "cmd.exe",
            ["args"] = new JsonArray("/c", "cmd.exe <CON >CON 2>CON"),
        });
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
}
