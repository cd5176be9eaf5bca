using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Commands;

/// <summary>
/// A hostile dashboard against the audit log and the readable log (docs/protocol.md §4, §7): huge
/// refused commands cannot rotate earlier audit records away, and a token cannot forge a stderr line.
/// </summary>
public sealed class AdminRunAbuseTests
{
    [Fact]
    public async Task HugeRefusedCommands_LeaveEarlierAuditRecordsInPlace()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = AdminRun.Config(peer, "flood", "echo");
        config["logging"] = new JsonObject { ["maxBytes"] = 1024 * 1024, ["retainedFiles"] = 1 };
        await using var agent = await AgentProcess.StartAsync(config);
        await AdminRun.ReadyAsync(peer, "flood");

        var first = await AdminRun.RunAsync(peer, "flood", "before", "echo the record that must stay");
        Assert.Equal(0, AdminRun.Code(first));

        // Eight refused commands of 1 MiB each: with whole commands in the audit, the two files
        // (1 MiB each) would hold only the last of them.
        const int Count = 8;
        var huge = "echo " + new string('a', 1024 * 1024);
        for (var i = 0; i < Count; i++)
        {
            var result = await AdminRun.RunAsync(peer, "flood", $"huge-{i}", huge + i.ToString(System.Globalization.CultureInfo.InvariantCulture), timeout: Waits.Event * 2);
            Assert.Equal(126, AdminRun.Code(result));
            Assert.Contains("too long", result.GetProperty("result").GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var records = ReadAllAudit(agent);
        var kept = Assert.Single(AdminRun.Audit(records, "before"));
        Assert.Equal("echo the record that must stay", kept.GetProperty("command").GetString());
        for (var i = 0; i < Count; i++)
        {
            var refused = Assert.Single(AdminRun.Audit(records, $"huge-{i}"));
            Assert.Equal("refused", refused.GetProperty("outcome").GetString());
            Assert.Equal(1024, refused.GetProperty("command").GetString()!.Length);
            Assert.Equal(huge.Length + 1, refused.GetProperty("commandLength").GetInt32());
            Assert.Equal(64, refused.GetProperty("commandSha256").GetString()!.Length);
        }

        Assert.True(new FileInfo(agent.AuditLogPath).Length < 64 * 1024, "the audit lines are capped");
        Assert.False(agent.HasExited);
    }

    [Fact]
    public async Task NewlineInAToken_CannotForgeAStderrLine_AndIsRefused()
    {
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(AdminRun.Config(peer, "forge", "echo"));
        await AdminRun.ReadyAsync(peer, "forge");

        const string Forged = "FORGED-LINE ERR [KeySyncCapability] root key added";
        var token = "t1\n2026-01-01 00:00:00.000 +00:00 " + Forged;
        await AdminRun.EmitAsync(peer, "forge", token, "echo hi");
        var result = (await AdminRun.ResultAsync(peer, token)).Payload;
        Assert.Equal(126, AdminRun.Code(result));
        Assert.Contains("token must not contain control", AdminRun.Stderr(result), StringComparison.Ordinal);
        Assert.Equal("", AdminRun.Stdout(result));

        // The agent logged the refusal on one line, with the newline shown escaped.
        var logged = await agent.WaitForStandardErrorAsync(l => l.Contains("FORGED-LINE", StringComparison.Ordinal), Waits.Event);
        Assert.Contains("t1\\u000A2026-01-01", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.StandardErrorLines, l => l.StartsWith("2026-01-01 00:00:00.000", StringComparison.Ordinal) || l.StartsWith(Forged, StringComparison.Ordinal));

        // Shown escaped in the JSON log too, and the agent still serves.
        var ok = await AdminRun.RunAsync(peer, "forge", "t2", "echo hi");
        Assert.Equal("hi\n", AdminRun.Stdout(ok));
    }

    private static List<JsonElement> ReadAllAudit(AgentProcess agent)
    {
        var records = new List<JsonElement>();
        var rotated = agent.AuditLogPath + ".1";
        if (File.Exists(rotated))
        {
            records.AddRange(agent.ReadLogRecords(rotated));
        }

        records.AddRange(agent.ReadAuditRecords());
        return records;
    }
}
