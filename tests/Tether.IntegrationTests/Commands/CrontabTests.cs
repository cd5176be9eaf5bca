using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Commands;

/// <summary>docs/protocol.md §4 cron: a real Debian crontab round trip as an unprivileged user, through the peer.</summary>
public sealed class CrontabTests
{
    private const string User = "tether-crontest";

    [Fact]
    public async Task Pipeline_InstallsTheCrontab_ReadBackByteIdentical_InvalidBase64LeavesItUntouched()
    {
        UnprivilegedAgent.EnsureUser(User);
        UnprivilegedAgent.Run("crontab", "-u", User, "-r");
        try
        {
            await using var peer = await PeerServer.StartAsync();
            await using var unpriv = await UnprivilegedAgent.StartAsync(User, AdminRun.Config(peer, "cron", "crontab -l", "crontab -"));
            await AdminRun.ReadyAsync(peer, "cron");

            const string Crontab = "# tether test: café ✓\nMAILTO=\"\"\n*/5 * * * * /bin/true  # every five minutes\n";
            var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Crontab));
            var install = await AdminRun.RunAsync(peer, "cron", "c1", $"echo '{b64}' | base64 -d | crontab -");
            Assert.True(AdminRun.Code(install) == 0, AdminRun.Stderr(install));

            var list = await AdminRun.RunAsync(peer, "cron", "c2", "crontab -l");
            Assert.Equal(0, AdminRun.Code(list));
            Assert.Equal(Crontab, AdminRun.Stdout(list));
            Assert.Equal(Encoding.UTF8.GetBytes(Crontab), ReadCrontabAsRoot());

            var invalid = await AdminRun.RunAsync(peer, "cron", "c3", "echo 'bm90*YmFzZTY0' | base64 -d | crontab -");
            Assert.Equal(1, AdminRun.Code(invalid));
            Assert.Contains("invalid base64", invalid.GetProperty("result").GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(Encoding.UTF8.GetBytes(Crontab), ReadCrontabAsRoot());

            var again = await AdminRun.RunAsync(peer, "cron", "c4", "crontab -l");
            Assert.Equal(Crontab, AdminRun.Stdout(again));

            var audit = ReadAudit(unpriv.AuditLogPath);
            Assert.Equal(("crontab_install", "ok"), Describe(Assert.Single(AdminRun.Audit(audit, "c1"))));
            Assert.Equal(("admin_run", "ok"), Describe(Assert.Single(AdminRun.Audit(audit, "c2"))));
            Assert.Equal(("crontab_install", "failed"), Describe(Assert.Single(AdminRun.Audit(audit, "c3"))));
            Assert.Equal(("admin_run", "ok"), Describe(Assert.Single(AdminRun.Audit(audit, "c4"))));
            Assert.DoesNotContain("every five minutes", File.ReadAllText(unpriv.AuditLogPath), StringComparison.Ordinal);
        }
        finally
        {
            UnprivilegedAgent.Run("crontab", "-u", User, "-r");
        }
    }

    private static (string?, string?) Describe(JsonElement audit) =>
        (audit.GetProperty("action").GetString(), audit.GetProperty("outcome").GetString());

    private static List<JsonElement> ReadAudit(string path) =>
        [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static byte[] ReadCrontabAsRoot()
    {
        var psi = new ProcessStartInfo("crontab") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-u", User, "-l" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        using var buffer = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(buffer);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return buffer.ToArray();
    }
}
