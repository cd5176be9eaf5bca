using System.Globalization;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Commands;

/// <summary>
/// docs/protocol.md §4 end to end: hostile command lines against ["echo", "ls -la"] through the real
/// peer; every one is refused with 126 and its marker file proves nothing ran.
/// </summary>
public sealed class AdminRunInjectionTests
{
    // {M} is replaced by a marker path unique to the line; a line that ran anything would create it.
    private static readonly string[] Corpus =
    [
        "ls -la; touch {M}", "echo hi;touch {M}", "echo hi ;; touch {M}", "echo hi && touch {M}", "echo hi || touch {M}",
        "echo hi | touch {M}", "echo hi |& touch {M}", "echo hi & touch {M}", "(touch {M})", "echo hi) touch {M}",
        "echo `touch {M}`", "echo $(touch {M})", "echo \\$(touch {M})", "echo ${IFS}x; touch {M}", "ls${IFS}-la{M}",
        "echo$IFS{M}", "echo $((1+1)) {M}", "echo $'\\x3b' touch {M}", "echo \"$(touch {M})\"", "echo \"`touch {M}`\"",
        "echo <(touch {M})", "echo >(touch {M})", "echo hi > {M}", "echo hi >> {M}", "ls -la < {M}",
        "ls -la 2>{M}", "echo hi 1>&2 {M}", "echo hi >| {M}", "echo <<EOF {M}", "echo <> {M}",
        "echo hi\ntouch {M}", "echo hi\r\ntouch {M}", "echo hi\rtouch {M}", "echo hi\0touch {M}", "echo \u001b[31m {M}",
        "echo 'unterminated {M}", "echo \"unterminated {M}", "echo trailing {M} \\", "lsblk {M}", "ls {M}",
        "ls -l {M}", "ls -lah {M}", "ls --la {M}", "touch {M}", "sh -c 'touch {M}'",
        "ｅcho {M}", "ls\u3000-la {M}", "echo hi\u202etouch {M}", "/bin/echo {M}", "LD_PRELOAD=x echo {M}",
        "FOO=bar touch {M}", "if true; then touch {M}; fi", "! touch {M}", "{ touch {M}; }", "echo * {M}",
        "echo ~root {M}", "# echo {M}", "echo " + new string('a', 70_000) + " {M}",
    ];

    [Fact]
    public async Task InjectionCorpus_EveryLineRefusedWith126_AndNothingRuns()
    {
        Assert.True(Corpus.Length >= 50);
        using var markers = new TempDirectory("tether-inj-");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "inj", "echo", "ls -la"));
        await AdminRun.ReadyAsync(peer, "inj");

        for (var i = 0; i < Corpus.Length; i++)
        {
            var line = Corpus[i].Replace("{M}", markers.Join("m" + i.ToString(CultureInfo.InvariantCulture)), StringComparison.Ordinal);
            await AdminRun.EmitAsync(peer, "inj", "inj-" + i.ToString(CultureInfo.InvariantCulture), line);
        }

        for (var i = 0; i < Corpus.Length; i++)
        {
            var token = "inj-" + i.ToString(CultureInfo.InvariantCulture);
            var result = (await AdminRun.ResultAsync(peer, token)).Payload;
            Assert.True(AdminRun.Code(result) == 126, $"line {i} ({Corpus[i][..Math.Min(60, Corpus[i].Length)]}): code {AdminRun.Code(result)}, stderr {AdminRun.Stderr(result)}");
            // A line past 64 KiB is refused as an invalid request, before it is tokenized.
            Assert.Matches("refused|invalid admin_run request: cmd.command is too long", AdminRun.Stderr(result));
            Assert.Equal("", AdminRun.Stdout(result));
        }

        Assert.Empty(Directory.GetFileSystemEntries(markers.Path));

        // One audit line per refusal, each with its reason and never any output.
        var audit = agent.ReadAuditRecords();
        for (var i = 0; i < Corpus.Length; i++)
        {
            var line = Assert.Single(AdminRun.Audit(audit, "inj-" + i.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal("refused", line.GetProperty("outcome").GetString());
            Assert.False(string.IsNullOrEmpty(line.GetProperty("reason").GetString()));
        }

        Assert.Equal(0, peer.Records.Count(r => r.Kind == "disconnect"));
    }

    [Fact]
    public async Task AllowedCommand_QuotedArguments_RunWithTheRightArgv()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "argv", "printf", "echo"));
        await AdminRun.ReadyAsync(peer, "argv");

        var result = await AdminRun.RunAsync(peer, "argv", "a1", """printf '[%s]' 'a b' "c \"d\"" e\ f '' 'x;y' '$HOME'""");
        Assert.Equal(0, AdminRun.Code(result));
        Assert.Equal("[a b][c \"d\"][e f][][x;y][$HOME]", AdminRun.Stdout(result));
        Assert.True(result.GetProperty("result").GetProperty("summary").TryGetProperty("durationMs", out _));

        // Word-prefix: "echo" admits echo with arguments; the echo of command and token is verbatim.
        var echo = await AdminRun.RunAsync(peer, "argv", "a2", "echo  hello   world");
        Assert.Equal("hello world\n", AdminRun.Stdout(echo));
        Assert.Equal("echo  hello   world", echo.GetProperty("command").GetString());

        // A bad env name and a cwd with an empty admin.allowedCwds: refused, nothing run.
        var env = await AdminRun.RunAsync(peer, "argv", "a3", "echo x", c => c["env"] = new System.Text.Json.Nodes.JsonObject { ["BAD-NAME"] = "v" });
        Assert.Equal(126, AdminRun.Code(env));
        var cwd = await AdminRun.RunAsync(peer, "argv", "a4", "echo x", c => c["cwd"] = "/tmp");
        Assert.Equal(126, AdminRun.Code(cwd));
        Assert.Contains("admin.allowedCwds", AdminRun.Stderr(cwd), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidPayloads_GetAnErrorResultAndAWarning_NeverACrash()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "bad", "echo"));
        await AdminRun.ReadyAsync(peer, "bad");

        await peer.EmitAsync("admin_run", new { token = "b1", cmd = new { command = 5 } }, "bad");
        await peer.EmitAsync("admin_run", new { token = "b2" }, "bad");
        await peer.EmitAsync("admin_run", "just a string", "bad");
        await peer.EmitAsync("admin_run", new { token = "b3", cmd = new { command = "echo ok", timeoutSec = -1 } }, "bad");
        foreach (var token in new[] { "b1", "b2", "b3" })
        {
            var result = (await AdminRun.ResultAsync(peer, token)).Payload;
            Assert.Equal(126, AdminRun.Code(result));
            Assert.False(string.IsNullOrEmpty(result.GetProperty("result").GetProperty("error").GetString()));
        }

        // Still alive and serving.
        var ok = await AdminRun.RunAsync(peer, "bad", "b4", "echo ok");
        Assert.Equal("ok\n", AdminRun.Stdout(ok));
        Assert.False(agent.HasExited);
    }
}
