using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tether.Config;
using Tether.Logging;

namespace Tether.Tests.Logging;

public sealed class AuditLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LoggingSettings Settings(long maxBytes = 1024 * 1024, int retained = 5) => new()
    {
        File = Path.Combine(_dir.Path, "agent.log"),
        AuditFile = Path.Combine(_dir.Path, "audit.log"),
        MaxBytes = maxBytes,
        RetainedFiles = retained,
    };

    private static List<JsonElement> ReadLines(string path) =>
        File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    [Fact]
    public void Write_EmitsOneJsonLineWithTheFields()
    {
        var settings = Settings();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("Plus2", TimeSpan.FromHours(2), "Plus2", "Plus2"));
        using (var audit = AuditLog.Open(settings, new LogRedactor(["agent-token-123456"]), time))
        {
            audit.Write(new AuditEntry(AuditAction.AdminRun, AuditOutcome.Refused) { Reason = "not in admin.allowedCommands", Token = "req-1", Command = "rm -rf /" });
            audit.Write(new AuditEntry(AuditAction.SyncKeys, AuditOutcome.Ok) { User = "octocat", Added = 2 });
            audit.Write(new AuditEntry(AuditAction.ShellStart, AuditOutcome.Ok) { Session = "s1" });
            audit.Write(new AuditEntry(AuditAction.BackupEnd, AuditOutcome.Failed) { PlanId = "p1", Reason = "rsync exited 23" });
            audit.Write(new AuditEntry(AuditAction.CrontabInstall, AuditOutcome.Ok) { Command = "echo aGk= | base64 -d | crontab -" });
            audit.Write(new AuditEntry(AuditAction.ShellClosed, AuditOutcome.Ok) { Session = "s1", Reason = "agent-token-123456 leaked?" });
            audit.Write(new AuditEntry(AuditAction.BackupStart, AuditOutcome.Ok) { PlanId = "p1" });
        }

        var lines = ReadLines(settings.AuditFile);
        Assert.Equal(7, lines.Count);
        var first = lines[0];
        Assert.Equal("2026-11-29T14:00:00.000+02:00", first.GetProperty("time").GetString());
        Assert.Equal("admin_run", first.GetProperty("action").GetString());
        Assert.Equal("refused", first.GetProperty("outcome").GetString());
        Assert.Equal("not in admin.allowedCommands", first.GetProperty("reason").GetString());
        Assert.Equal("req-1", first.GetProperty("token").GetString());
        Assert.Equal("rm -rf /", first.GetProperty("command").GetString());
        Assert.False(first.TryGetProperty("session", out _));
        Assert.Equal(["time", "action", "outcome", "user", "added"], lines[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, lines[1].GetProperty("added").GetInt32());
        Assert.Equal(
            ["admin_run", "sync_keys", "shell_start", "backup_end", "crontab_install", "shell_closed", "backup_start"],
            lines.Select(l => l.GetProperty("action").GetString()));
        Assert.Equal("failed", lines[3].GetProperty("outcome").GetString());
        Assert.DoesNotContain("agent-token-123456", File.ReadAllText(settings.AuditFile), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HugeCommand_RecordsItsFirstKibAndTheHashOfTheWhole()
    {
        var settings = Settings();
        var command = "echo " + new string('x', 16 * 1024 * 1024);
        using (var audit = AuditLog.Open(settings, LogRedactor.Default))
        {
            audit.Write(new AuditEntry(AuditAction.AdminRun, AuditOutcome.Refused) { Reason = new string('r', 5000), Token = "t", Command = command });
            audit.Write(new AuditEntry(AuditAction.AdminRun, AuditOutcome.Ok) { Command = new string('y', AuditLog.MaxFieldLength) });
        }

        Assert.True(new FileInfo(settings.AuditFile).Length < 4 * 1024);
        var lines = ReadLines(settings.AuditFile);
        Assert.Equal(command[..AuditLog.MaxFieldLength], lines[0].GetProperty("command").GetString());
        Assert.Equal(command.Length, lines[0].GetProperty("commandLength").GetInt32());
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(command))),
            lines[0].GetProperty("commandSha256").GetString());
        Assert.Equal(new string('r', AuditLog.MaxFieldLength) + "…", lines[0].GetProperty("reason").GetString());

        // At the limit the command is whole and carries no hash.
        Assert.Equal(AuditLog.MaxFieldLength, lines[1].GetProperty("command").GetString()!.Length);
        Assert.False(lines[1].TryGetProperty("commandSha256", out _));
    }

    [Fact]
    public void Write_CutNeverSplitsASurrogatePair()
    {
        var settings = Settings();
        var command = new string('a', AuditLog.MaxFieldLength - 1) + "😀" + "tail";
        using (var audit = AuditLog.Open(settings, LogRedactor.Default))
        {
            audit.Write(new AuditEntry(AuditAction.AdminRun, AuditOutcome.Refused) { Command = command });
        }

        Assert.Equal(new string('a', AuditLog.MaxFieldLength - 1), ReadLines(settings.AuditFile)[0].GetProperty("command").GetString());
    }

    [Fact]
    public async Task Write_FromManyThreads_KeepsLinesWhole()
    {
        var settings = Settings();
        using (var audit = AuditLog.Open(settings, LogRedactor.Default))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    audit.Write(new AuditEntry(AuditAction.AdminRun, AuditOutcome.Ok) { Token = $"{t}-{i}", Command = new string('c', 100) });
                }
            })));
        }

        var lines = ReadLines(settings.AuditFile);
        Assert.Equal(800, lines.Count);
        Assert.Equal(800, lines.Select(l => l.GetProperty("token").GetString()).Distinct().Count());
    }

    [Fact]
    public void Write_RotatesLikeTheMainLog()
    {
        var settings = Settings(maxBytes: 1024, retained: 2);
        using (var audit = AuditLog.Open(settings, LogRedactor.Default))
        {
            for (var i = 0; i < 100; i++)
            {
                audit.Write(new AuditEntry(AuditAction.ShellStart, AuditOutcome.Ok) { Session = "session-" + i });
            }
        }

        var files = Directory.GetFiles(_dir.Path, "audit.log*").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);
        Assert.Equal(["audit.log", "audit.log.1", "audit.log.2"], files);
    }

    [Fact]
    public void Write_AfterDispose_DoesNotThrow()
    {
        var audit = AuditLog.Open(Settings(), LogRedactor.Default);
        audit.Dispose();
        audit.Write(new AuditEntry(AuditAction.ShellStart, AuditOutcome.Ok));
    }
}
