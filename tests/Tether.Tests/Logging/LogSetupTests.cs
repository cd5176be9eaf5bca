using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Config;
using Tether.Logging;

namespace Tether.Tests.Logging;

public sealed class LogSetupTests : IDisposable
{
    private const string Token = "tok-7f3a9c1e5b2d";
    private const string Sig = "9c1e5b2d7f3a0000deadbeefcafe";

    private readonly TempDirectory _dir = new();
    private readonly StringWriter _stderr = new();

    public void Dispose()
    {
        _stderr.Dispose();
        _dir.Dispose();
    }

    private LoggingSettings Settings(long maxBytes = 10 * 1024 * 1024, int retained = 5, LogLevel level = LogLevel.Information) => new()
    {
        File = Path.Combine(_dir.Path, "logs", "agent.log"),
        AuditFile = Path.Combine(_dir.Path, "audit.log"),
        MaxBytes = maxBytes,
        RetainedFiles = retained,
        Level = level,
    };

    private LogSetup Create(LoggingSettings settings, string? levelOverride = null) =>
        LogSetup.Create(settings, [Token], levelOverride, _stderr);

    private static List<JsonElement> ReadLines(string path) =>
        File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    [Fact]
    public void LogFile_IsJsonLinesWithTimeLevelMessageFields()
    {
        var settings = Settings();
        using (var setup = Create(settings))
        {
            var log = setup.LoggerFactory.CreateLogger("Tether.Transport.Connection");
            log.LogInformation("connected to {Host} in {Ms} ms", "dash.example.com", 42);
            log.LogWarning("insecure TLS for {Host}", "dash.example.com");
            log.LogError(new InvalidOperationException("boom"), "connect failed {Attempt}", 3);
        }

        var lines = ReadLines(settings.File);
        Assert.Equal(3, lines.Count);
        Assert.Equal("info", lines[0].GetProperty("level").GetString());
        Assert.Equal("connected to dash.example.com in 42 ms", lines[0].GetProperty("message").GetString());
        Assert.Equal("dash.example.com", lines[0].GetProperty("fields").GetProperty("Host").GetString());
        Assert.Equal(42, lines[0].GetProperty("fields").GetProperty("Ms").GetInt32());
        Assert.Equal("Tether.Transport.Connection", lines[0].GetProperty("fields").GetProperty("SourceContext").GetString());
        Assert.True(DateTimeOffset.TryParse(lines[0].GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$", lines[0].GetProperty("time").GetString());
        Assert.Equal("warn", lines[1].GetProperty("level").GetString());
        Assert.Equal("error", lines[2].GetProperty("level").GetString());
        Assert.Contains("boom", lines[2].GetProperty("exception").GetString(), StringComparison.Ordinal);
        Assert.False(lines[0].TryGetProperty("exception", out _));
    }

    [Fact]
    public void LogFile_StaysValidJsonForControlCharactersAndLoneSurrogates()
    {
        var settings = Settings();
        var nasty = "a\u0000b\u001b[31mc\"d\\e\nf\u2028g\ud800h\udc00i😀";
        using (var setup = Create(settings))
        {
            setup.LoggerFactory.CreateLogger("T").LogInformation("value {Value} {Other}", nasty, new[] { nasty });
        }

        var line = Assert.Single(ReadLines(settings.File));
        var value = line.GetProperty("fields").GetProperty("Value").GetString();
        Assert.Equal("a\u0000b\u001b[31mc\"d\\e\nf\u2028g\uFFFDh\uFFFDi😀", value);
        Assert.Single(File.ReadAllLines(settings.File));
    }

    [Fact]
    public void Stderr_GetsReadableLineWithLevelCategoryAndMessage()
    {
        using (var setup = Create(Settings()))
        {
            setup.LoggerFactory.CreateLogger("Tether.Shell.ShellHost").LogWarning("shell {Session} busy", "s1");
        }

        var text = _stderr.ToString();
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d WRN \[ShellHost\] shell s1 busy\r?\n$", text);
    }

    [Fact]
    public void Stderr_ControlCharactersInValues_CannotForgeALine()
    {
        const string Forged = "x\n2026-01-01 00:00:00.000 +00:00 ERR [AdminRunCapability] forged\r\u001b[2K\u202e";
        using (var setup = Create(Settings()))
        {
            var log = setup.LoggerFactory.CreateLogger("Tether.Commands.AdminRunCapability");
            log.LogInformation("admin_run {RequestId} refused", Forged);
            log.LogError(new InvalidOperationException("boom\nERR forged from an exception"), "failed {RequestId}", Forged);
        }

        var lines = _stderr.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Contains(@"refused", lines[0], StringComparison.Ordinal);
        Assert.Contains(@"x\u000A2026-01-01", lines[0], StringComparison.Ordinal);
        Assert.Contains(@"\u000D\u001B[2K\u202E", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\d .* ERR \[AdminRunCapability\] failed x\\u000A", lines[1]);

        // Every other line is an indented exception line; none looks like the start of a record.
        Assert.All(lines.Skip(2), l => Assert.StartsWith("  ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("boom", StringComparison.Ordinal));
        Assert.DoesNotContain(_stderr.ToString(), c => char.IsControl(c) && c is not '\n' and not '\r');
        Assert.Equal(2, lines.Count(l => !l.StartsWith("  ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Level_FiltersBelowConfiguredAndOverride()
    {
        var settings = Settings(level: LogLevel.Warning);
        using (var setup = Create(settings))
        {
            var log = setup.LoggerFactory.CreateLogger("T");
            log.LogInformation("hidden");
            log.LogWarning("shown");
            Assert.False(log.IsEnabled(LogLevel.Information));
        }

        Assert.Equal(["shown"], ReadLines(settings.File).Select(l => l.GetProperty("message").GetString()));
    }

    [Fact]
    public void LevelOverride_WinsOverSettings()
    {
        var settings = Settings(level: LogLevel.Error);
        using (var setup = Create(settings, "debug"))
        {
            setup.LoggerFactory.CreateLogger("T").LogDebug("dbg");
        }

        Assert.Equal("debug", Assert.Single(ReadLines(settings.File)).GetProperty("level").GetString());
        Assert.Throws<ArgumentException>(() => Create(Settings(), "loud"));
    }

    [Fact]
    public void Secrets_NeverReachFileOrStderr()
    {
        var settings = Settings(level: LogLevel.Trace);
        using (var setup = Create(settings))
        {
            var log = setup.LoggerFactory.CreateLogger("Tether.Transport");
            log.LogInformation("auth {AuthToken}", Token);
            log.LogInformation("sig {Sig} token {Token} password {Password} secret {ClientSecret}", Sig, Token, "hunter2-pass", "s3cr3t-value");
            log.LogInformation("connecting to {Url}", $"https://dash.example.com/socket.io/?EIO=4&transport=websocket&clientId=c1&ts=1700000000000&sig={Sig}&token=abc123xyz");
            log.LogInformation("uri {Uri}", new Uri($"wss://dash.example.com/socket.io/?clientId=c1&sig={Sig}"));
            log.LogInformation("interpolated by mistake https://x/?a=1&sig=" + Sig + " and token=" + Token);
            log.LogDebug("payload {Payload}", "{\"clientId\":\"c1\",\"sig\":\"" + Sig + "\",\"authToken\":\"" + Token + "\"}");
            log.LogDebug("value that happens to be the token: {Value}", "prefix-" + Token + "-suffix");
            log.LogInformation("key line {Line}", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyMaterialKeyMaterialKeyMaterial00 user@host");
            log.LogInformation("proxy {Proxy}", "http://bob:hunter2-pass@proxy.example:3128");
            log.LogError(new InvalidOperationException("failed GET https://x/?sig=" + Sig), "request failed");
            using (log.BeginScope(new Dictionary<string, object> { ["authToken"] = Token, ["Session"] = "s1" }))
            {
                log.LogInformation("in scope");
            }

            log.LogInformation("args {Items}", (object)new[] { "sig=" + Sig, Token });
        }

        var file = File.ReadAllText(settings.File);
        var stderr = _stderr.ToString();
        foreach (var output in new[] { file, stderr })
        {
            Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Sig, output, StringComparison.Ordinal);
            Assert.DoesNotContain("abc123xyz", output, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t-value", output, StringComparison.Ordinal);
            Assert.DoesNotContain("KeyMaterialKeyMaterial", output, StringComparison.Ordinal);
        }

        Assert.Contains("clientId=c1", file, StringComparison.Ordinal);
        Assert.Contains("sig=***", file, StringComparison.Ordinal);
        Assert.Contains("\"Session\":\"s1\"", file, StringComparison.Ordinal);
        Assert.Equal(12, File.ReadAllLines(settings.File).Length);
    }

    [Fact]
    public void Rotation_AtSmallMaxBytes_KeepsExactlyRetainedOldFiles()
    {
        var settings = Settings(maxBytes: 2048, retained: 3);
        using (var setup = Create(settings))
        {
            var log = setup.LoggerFactory.CreateLogger("T");
            for (var i = 0; i < 200; i++)
            {
                log.LogInformation("line {Index} {Padding}", i, new string('x', 60));
            }
        }

        var dir = Path.GetDirectoryName(settings.File)!;
        var files = Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["agent.log", "agent.log.1", "agent.log.2", "agent.log.3"], files);
        foreach (var file in Directory.GetFiles(dir))
        {
            Assert.InRange(new FileInfo(file).Length, 1, 2048);
            Assert.All(ReadLines(file), l => Assert.Equal("info", l.GetProperty("level").GetString()));
        }

        // The newest lines are in the current file, the next older ones in .1.
        var current = ReadLines(settings.File);
        var previous = ReadLines(settings.File + ".1");
        Assert.Equal(199, current[^1].GetProperty("fields").GetProperty("Index").GetInt32());
        Assert.Equal(current[0].GetProperty("fields").GetProperty("Index").GetInt32() - 1, previous[^1].GetProperty("fields").GetProperty("Index").GetInt32());
    }

    [Fact]
    public void UnwritableLogFile_FallsBackToStderrAndSaysSo()
    {
        var blocker = _dir.Write("not-a-dir", "x");
        var settings = new LoggingSettings { File = Path.Combine(blocker, "agent.log"), AuditFile = Path.Combine(_dir.Path, "audit.log") };

        using (var setup = Create(settings))
        {
            Assert.NotNull(setup.FileError);
            setup.LoggerFactory.CreateLogger("T").LogInformation("still visible");
        }

        var text = _stderr.ToString();
        Assert.Contains("cannot be opened, logging to stderr only", text, StringComparison.Ordinal);
        Assert.Contains("still visible", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportFatal_WritesStderrAndLogFile()
    {
        var logFile = Path.Combine(_dir.Path, "fatal", "agent.log");

        LogSetup.ReportFatal("config: authToken is required", logFile, _stderr);

        Assert.Equal("config: authToken is required" + Environment.NewLine, _stderr.ToString());
        var line = Assert.Single(ReadLines(logFile));
        Assert.Equal("error", line.GetProperty("level").GetString());
        Assert.Equal("config: authToken is required", line.GetProperty("message").GetString());
        Assert.False(File.Exists(logFile + ".unused"));
    }

    [Fact]
    public void Create_FromAgentConfig_RedactsAuthTokenAndProxyCredentials()
    {
        _dir.Write("agent-config.json", """{"clientId":"c","serverUrl":"https://x.example","authToken":"agent-token-123456"}""");
        var result = ConfigLoader.Load(new ConfigSources
        {
            Environment = new Dictionary<string, string?> { ["HTTPS_PROXY"] = "http://alice:pr0xy-pass@proxy.example:3128" },
            WorkingDirectory = _dir.Path,
        });
        Assert.True(result.Succeeded, result.Error);

        using (var setup = LogSetup.Create(result.Config, null, _stderr))
        {
            setup.LoggerFactory.CreateLogger("T").LogInformation("raw {A} {B}", result.Config.AuthToken, result.Config.Proxy.HttpsProxy!.UserInfo);
        }

        var file = File.ReadAllText(result.Config.Logging.File);
        Assert.DoesNotContain("agent-token-123456", file, StringComparison.Ordinal);
        Assert.DoesNotContain("pr0xy-pass", file, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-token-123456", _stderr.ToString(), StringComparison.Ordinal);
    }
}
