using System.Text.Json;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Shell;

public sealed class ShellBasicsTests
{
    [Fact]
    public async Task Shell_RunsInAPts_FollowsResize_AndDeliversSigwinch()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-basics");
        var shell = await h.OpenShellAsync("s1");

        var tty = await h.RunAsync(shell, "tty; stty size; echo done-$((1+1))", "done-2");
        Assert.Matches(@"/dev/pts/\d+", tty);
        Assert.Contains("24 80", tty, StringComparison.Ordinal);

        // A foreground program traps SIGWINCH: an interactive bash would defer its own trap until
        // the next command line, which made this flaky.
        await h.RunAsync(shell, "bash -c 'trap \"echo got-win$((3+4))\" WINCH; echo armed-$((2+3)); while :; do sleep 0.05; done'", "armed-5");
        shell.Mark();
        await h.Peer.EmitAsync("shell_resize", new { session = "s1", cols = 100, rows = 40 });
        await shell.WaitForAsync("got-win7", Waits.Event);
        await h.InputAsync("s1", "\u0003");
        var size = await h.RunAsync(shell, "stty size; echo done-$((2+2))", "done-4");
        Assert.Contains("40 100", size, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithSize_UsesIt_AndEnvironmentIsSane()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-env");
        var shell = await h.OpenShellAsync("s1", cols: 120, rows: 30);
        var text = await h.RunAsync(shell, "stty size; echo \"T=$TERM H=$HOME P=$PWD U=$USER\"; echo done-$((1+1))", "done-2");
        Assert.Contains("30 120", text, StringComparison.Ordinal);
        var home = Environment.GetEnvironmentVariable("HOME") ?? "/";
        Assert.Contains($"T=xterm-256color H={home} P={home} U={Environment.UserName}", text, StringComparison.Ordinal);

        // The agent's own variables (token, client id, config overrides) stay out of the shell.
        await h.RunAsync(shell, "echo leaked=$(env | grep -c -e AUTH_TOKEN -e CLIENT_ID -e TETHER -e DOTNET_); echo done-$((2+2))", "done-4");
        Assert.Contains("leaked=0", shell.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadResizes_AreIgnored_AndTheShellStillAnswers()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-bad-resize");
        var shell = await h.OpenShellAsync("s1");
        object[] bad =
        [
            new { session = "s1", cols = -1, rows = 40 },
            new { session = "s1", cols = 0, rows = 40 },
            new { session = "s1", cols = 100000, rows = 40 },
            new { session = "s1", cols = "abc", rows = 40 },
            new { session = "s1", cols = 100 },
            new { session = "s1" },
            new { cols = 100, rows = 40 },
            new { session = "s1", cols = 100.5, rows = 40 },
            new { session = 5, cols = 100, rows = 40 },
        ];
        foreach (var payload in bad)
        {
            await h.Peer.EmitAsync("shell_resize", payload);
        }

        await h.Peer.EmitRawAsync(["shell_resize"]);
        await h.Peer.EmitRawAsync(["shell_resize", "a string"]);

        var size = await h.RunAsync(shell, "stty size; echo done-$((2+2))", "done-4");
        Assert.Contains("24 80", size, StringComparison.Ordinal);
        var warnings = h.Agent.ReadLogRecords().Count(r => Message(r).StartsWith("shell_resize ignored", StringComparison.Ordinal));
        Assert.True(warnings >= bad.Length, $"{warnings} warnings; {h.Agent.Describe()}");
    }

    [Fact]
    public async Task CtrlC_InterruptsSleep_AndThePromptReturns()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-ctrl-c");
        var shell = await h.OpenShellAsync("s1");
        await h.InputAsync("s1", "sleep 100; echo after-$((5+5))\n");
        await WaitForSleepAsync(h.Agent.ProcessId);
        shell.Mark();
        await h.InputAsync("s1", "\u0003");
        var text = await h.RunAsync(shell, "echo back-$((6+6))", "back-12");
        Assert.DoesNotContain("after-10", shell.Text, StringComparison.Ordinal);
        Assert.Contains("back-12", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8Printf_ArrivesIntact()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-utf8");
        var shell = await h.OpenShellAsync("s1");
        var text = await h.RunAsync(shell, @"printf 'h\xc3\xa9llo \xe4\xb8\xad \xf0\x9f\x98\x80\n'", "héllo 中 😀");
        Assert.DoesNotContain('\uFFFD', text);
    }

    [Fact]
    public async Task Base64Mode_RoundTripsBytes()
    {
        await using var h = await AgentShellHarness.StartAsync("shell-b64", c => AgentShellHarness.Section(c, "shell")["outputEncoding"] = "base64");
        await h.StartShellAsync("s1");
        await h.Peer.EmitAsync("shell_input", new { session = "s1", data = Convert.ToBase64String("printf 'x\\xffy-%s\\n' $((3*3))\n"u8.ToArray()), encoding = "base64" });
        await h.Peer.EmitAsync("shell_input", new { session = "s1", data = "%%%not base64", encoding = "base64" });
        var deadline = DateTime.UtcNow + Waits.Event;
        var bytes = new List<byte>();
        var next = 0;
        byte[] expected = [(byte)'x', 0xff, (byte)'y', (byte)'-', (byte)'9'];
        while (!Contains(bytes, expected))
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "no x\\xffy-9 in the output: " + Convert.ToHexString(bytes.ToArray()));
            var r = await h.Peer.WaitForEventAsync("shell_output", left, null, next);
            next = r.Index + 1;
            Assert.Equal("base64", r.Payload.GetProperty("encoding").GetString());
            bytes.AddRange(Convert.FromBase64String(r.Payload.GetProperty("data").GetString()!));
        }

        await h.Agent.WaitForLogAsync(r => Message(r).Contains("not valid base64", StringComparison.Ordinal), Waits.Event);
    }

    private static bool Contains(List<byte> haystack, ReadOnlySpan<byte> needle) =>
        haystack.ToArray().AsSpan().IndexOf(needle) >= 0;

    internal static string Message(JsonElement record) => HandshakeTests.Message(record);

    /// <summary>Waits until a <c>sleep</c> runs among the agent's descendants (its shells).</summary>
    internal static async Task<int> WaitForSleepAsync(int agentPid)
    {
        var deadline = DateTime.UtcNow + Waits.Event;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var pid in ProcFs.Descendants(agentPid))
            {
                if (ProcFs.Command(pid) == "sleep")
                {
                    return pid;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no sleep process started");
    }
}
