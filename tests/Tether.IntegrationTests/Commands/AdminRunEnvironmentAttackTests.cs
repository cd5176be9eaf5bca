using System.Text.Json.Nodes;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Commands;

/// <summary>
/// docs/protocol.md §4, environment: <c>cmd.env</c> names are an allow list. A hostile dashboard
/// sends real tar and rsync payloads (variables those programs read commands from) with
/// allowlisted command lines; each is refused with 126 naming the variable and its marker file
/// proves nothing ran.
/// </summary>
public sealed class AdminRunEnvironmentAttackTests
{
    [Fact]
    public async Task TarAndRsyncCommandVariables_AreRefusedWith126NamingThem_AndThePayloadNeverRuns()
    {
        using var work = new TempDirectory("tether-envattack-");
        var source = work.Join("source.txt");
        await File.WriteAllTextAsync(source, "data\n");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "envattack", "tar -cf /dev/null", "rsync -a"));
        await AdminRun.ReadyAsync(peer, "envattack");

        // Each payload runs `touch <marker>` when the variable reaches the program (checked by hand
        // with `env -i`: tar 1.34, rsync 3.x).
        var attacks = new (string Token, string Command, string Name, string Value, string Marker)[]
        {
            ("tar", $"tar -cf /dev/null {source}", "TAR_OPTIONS", $"--checkpoint=1 --checkpoint-action=exec=touch\\ {work.Join("m-tar")}", work.Join("m-tar")),
            ("rsh", $"rsync -a {source} localhost:{work.Join("copy")}", "RSYNC_RSH", $"sh -c 'touch {work.Join("m-rsh")}'", work.Join("m-rsh")),
            ("connect", $"rsync -a {source} rsync://localhost/module/", "RSYNC_CONNECT_PROG", $"touch {work.Join("m-connect")}", work.Join("m-connect")),
        };

        foreach (var (token, command, name, value, _) in attacks)
        {
            var result = await AdminRun.RunAsync(peer, "envattack", token, command, c => c["env"] = new JsonObject { [name] = value });
            Assert.Equal(126, AdminRun.Code(result));
            Assert.Contains(name, AdminRun.Stderr(result), StringComparison.Ordinal);
            Assert.Contains("refused", AdminRun.Stderr(result), StringComparison.Ordinal);
            Assert.DoesNotContain("touch", AdminRun.Stderr(result), StringComparison.Ordinal);
        }

        foreach (var (token, _, name, _, marker) in attacks)
        {
            Assert.False(File.Exists(marker), $"{name}: the payload ran ({marker} exists)");
            var audit = Assert.Single(AdminRun.Audit(agent.ReadAuditRecords(), token));
            Assert.Equal("refused", audit.GetProperty("outcome").GetString());
            Assert.Contains(name, audit.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(["source.txt"], Directory.GetFileSystemEntries(work.Path).Select(Path.GetFileName));

        // The same allowlisted tar line with an allowed name runs.
        var ok = await AdminRun.RunAsync(peer, "envattack", "ok", $"tar -cf /dev/null {source}", c => c["env"] = new JsonObject { ["LC_ALL"] = "C", ["TZ"] = "UTC" });
        Assert.Equal(0, AdminRun.Code(ok));
    }

    [Fact]
    public async Task ConfiguredName_ReachesTheCommand_UnlistedNameDoesNot()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = AdminRun.Config(peer, "envallow", "printenv");
        config["admin"]!["allowedEnv"] = new JsonArray("APP_MODE");
        await using var agent = await AgentProcess.StartAsync(config);
        await AdminRun.ReadyAsync(peer, "envallow");

        var allowed = await AdminRun.RunAsync(peer, "envallow", "e1", "printenv APP_MODE PATH", c => c["env"] = new JsonObject { ["APP_MODE"] = "blue" });
        Assert.Equal(0, AdminRun.Code(allowed));
        Assert.Equal("blue\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n", AdminRun.Stdout(allowed));

        var refused = await AdminRun.RunAsync(peer, "envallow", "e2", "printenv OTHER", c => c["env"] = new JsonObject { ["OTHER"] = "x" });
        Assert.Equal(126, AdminRun.Code(refused));
        Assert.Contains("OTHER is not allowed", AdminRun.Stderr(refused), StringComparison.Ordinal);
    }
}
