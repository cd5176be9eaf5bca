using Microsoft.Extensions.Logging;
using Tether.Config;
using Tether.Transport;

namespace Tether.Tests.Config;

public sealed class ConfigLoaderTests : IDisposable
{
    private const string MinimalFile = """{"clientId":"c1","serverUrl":"https://dash.example.com","authToken":"s3cret-token-value"}""";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigSources Sources(Dictionary<string, string?>? env = null, string? flag = null, bool? insecure = null, string? logLevel = null) =>
        new()
        {
            ConfigPathFlag = flag,
            Environment = env ?? [],
            Insecure = insecure,
            LogLevel = logLevel,
            WorkingDirectory = _dir.Path,
            HomeDirectory = "/home/agent",
        };

    private ConfigLoadResult LoadFile(string json, Dictionary<string, string?>? env = null)
    {
        _dir.Write("agent-config.json", json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.Join("agent-config.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return ConfigLoader.Load(Sources(env));
    }

    private AgentConfig LoadOk(string json, Dictionary<string, string?>? env = null)
    {
        var result = LoadFile(json, env);
        Assert.True(result.Succeeded, result.Error);
        return result.Config;
    }

    private string LoadError(string json, Dictionary<string, string?>? env = null)
    {
        var result = LoadFile(json, env);
        Assert.False(result.Succeeded);
        Assert.StartsWith("config: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token-value", result.Error, StringComparison.Ordinal);
        return result.Error;
    }

    [Fact]
    public void Load_MinimalFile_AppliesContractDefaults()
    {
        var c = LoadOk(MinimalFile);

        Assert.Equal(Path.Combine(_dir.Path, "agent-config.json"), c.ConfigPath);
        Assert.Equal(_dir.Path, c.ConfigDirectory);
        Assert.Equal("c1", c.ClientId);
        Assert.Equal(new Uri("https://dash.example.com"), c.ServerUri);
        Assert.Equal(60, c.StatsIntervalSec);
        Assert.Equal(15, c.HeartbeatIntervalSec);
        Assert.Equal(90, c.PongTimeoutSec);
        Assert.Equal(Path.Combine(_dir.Path, "state"), c.StateDir);
        Assert.Equal("/socket.io", c.Transport.Path);
        Assert.Equal("/agents", c.Transport.Namespace);
        Assert.Null(c.Transport.CaFile);
        Assert.False(c.Transport.SkipTlsVerify);
        Assert.Equal(1_000_000, c.Transport.MaxPayloadBytes);
        Assert.Empty(c.Admin.AllowedCommands);
        Assert.Empty(c.Admin.AllowedCwds);
        Assert.Empty(c.Admin.AllowedEnv);
        Assert.Equal(2, c.Admin.MaxConcurrent);
        Assert.Equal(30, c.Admin.DefaultTimeoutSec);
        Assert.Equal(1024 * 1024, c.Admin.MaxOutputBytes);
        Assert.True(c.Admin.EnableShell);
        Assert.Null(c.Shell.Command);
        Assert.Equal(ShellOutputEncoding.Utf8, c.Shell.OutputEncoding);
        Assert.Equal(30, c.Shell.ReconnectGraceSec);
        Assert.Empty(c.Backup.AllowedSourceRoots);
        Assert.Null(c.Backup.SshKnownHostsFile);
        Assert.Equal(new Uri("https://github.com"), c.Keys.BaseUrl);
        Assert.Equal("/home/agent/.ssh/authorized_keys", c.Keys.AuthorizedKeysFile);
        Assert.True(c.Keys.Enabled); // the Node agent syncs keys: so does a config that says nothing
        Assert.Equal(Path.Combine(_dir.Path, "agent.log"), c.Logging.File);
        Assert.Equal(Path.Combine(_dir.Path, "audit.log"), c.Logging.AuditFile);
        Assert.Equal(LogLevel.Information, c.Logging.Level);
        Assert.Equal(10L * 1024 * 1024, c.Logging.MaxBytes);
        Assert.Equal(5, c.Logging.RetainedFiles);
        Assert.Same(ProxySettings.None, c.Proxy);
        Assert.Equal("/socket.io/", EnginePath(c));
        Assert.True(c.UsesTls);
    }

    [Fact]
    public void Load_FullFile_ReadsEverySectionWithoutWarnings()
    {
        var json = """
            {
              // comments are allowed
              "clientId": "c1", "serverUrl": "https://dash.example.com:8443/base/", "authToken": "s3cret-token-value",
              "statsIntervalSec": 10, "heartbeatIntervalSec": 5, "pongTimeoutSec": 20, "stateDir": "st",
              "transport": {"path": "/sio/", "namespace": "/n", "skipTlsVerify": true, "maxPayloadBytes": 2048},
              "admin": {"allowedCommands": ["uptime", "systemctl status"], "allowedCwds": ["/srv", "~/work"], "allowedEnv": ["APP_MODE"], "maxConcurrent": 4,
                        "defaultTimeoutSec": 5, "maxOutputBytes": 4096, "enableShell": false},
              "shell": {"command": "/bin/zsh", "args": ["-i"], "outputEncoding": "base64", "reconnectGraceSec": 0},
              "backup": {"allowedSourceRoots": ["/data"], "allowedDestRoots": ["/backup"], "sshKnownHostsFile": "kh", "sshIdentityFile": "~/.ssh/id"},
              "keys": {"enabled": false, "baseUrl": "https://keys.example.com/", "authorizedKeysFile": "/tmp/ak"},
              "logging": {"file": "logs/a.log", "level": "debug", "maxBytes": 4096, "retainedFiles": 2, "auditFile": "/var/log/au.log"},
            }
            """;
        var result = LoadFile(json);
        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        var c = result.Config;

        Assert.Equal(10, c.StatsIntervalSec);
        Assert.Equal(5, c.HeartbeatIntervalSec);
        Assert.Equal(20, c.PongTimeoutSec);
        Assert.Equal(Path.Combine(_dir.Path, "st"), c.StateDir);
        Assert.Equal("/base/sio/", EnginePath(c));
        Assert.Equal("/n", c.Transport.Namespace);
        Assert.True(c.Transport.SkipTlsVerify);
        Assert.Equal(2048, c.Transport.MaxPayloadBytes);
        Assert.Equal(["uptime", "systemctl status"], c.Admin.AllowedCommands);
        Assert.Equal(["/srv", "/home/agent/work"], c.Admin.AllowedCwds);
        Assert.Equal(["APP_MODE"], c.Admin.AllowedEnv);
        Assert.Equal(4, c.Admin.MaxConcurrent);
        Assert.Equal(5, c.Admin.DefaultTimeoutSec);
        Assert.Equal(4096, c.Admin.MaxOutputBytes);
        Assert.False(c.Admin.EnableShell);
        Assert.Equal("/bin/zsh", c.Shell.Command);
        Assert.Equal(["-i"], c.Shell.Args);
        Assert.Equal(ShellOutputEncoding.Base64, c.Shell.OutputEncoding);
        Assert.Equal(0, c.Shell.ReconnectGraceSec);
        Assert.Equal(["/data"], c.Backup.AllowedSourceRoots);
        Assert.Equal(["/backup"], c.Backup.AllowedDestRoots);
        Assert.Equal(Path.Combine(_dir.Path, "kh"), c.Backup.SshKnownHostsFile);
        Assert.Equal("/home/agent/.ssh/id", c.Backup.SshIdentityFile);
        Assert.Equal("https://keys.example.com/", c.Keys.BaseUrl.ToString());
        Assert.Equal("/tmp/ak", c.Keys.AuthorizedKeysFile);
        Assert.False(c.Keys.Enabled);
        Assert.Equal(Path.Combine(_dir.Path, "logs", "a.log"), c.Logging.File);
        Assert.Equal(LogLevel.Debug, c.Logging.Level);
        Assert.Equal(4096, c.Logging.MaxBytes);
        Assert.Equal(2, c.Logging.RetainedFiles);
        Assert.Equal("/var/log/au.log", c.Logging.AuditFile);
    }

    [Fact]
    public void Load_EnvironmentBeatsFile_FileBeatsDefault()
    {
        var json = """{"clientId":"file-id","serverUrl":"https://file.example.com","authToken":"s3cret-token-value","statsIntervalSec":30,"heartbeatIntervalSec":20}""";
        var c = LoadOk(json, new() { ["CLIENT_ID"] = "env-id", ["STATS_INTERVAL_SEC"] = "45" });

        Assert.Equal("env-id", c.ClientId);
        Assert.Equal(45, c.StatsIntervalSec);
        Assert.Equal(20, c.HeartbeatIntervalSec);
        Assert.Equal(90, c.PongTimeoutSec);
        Assert.Equal(new Uri("https://file.example.com"), c.ServerUri);
    }

    [Fact]
    public void Load_FlagsBeatEnvironmentAndFile()
    {
        _dir.Write("agent-config.json", """{"clientId":"c","serverUrl":"https://x.example","authToken":"t","transport":{"skipTlsVerify":false},"logging":{"level":"info"}}""");
        var env = new Dictionary<string, string?> { ["AGENT_SKIP_TLS_VERIFY"] = "false", ["LOG_LEVEL"] = "warn" };

        var result = ConfigLoader.Load(Sources(env, insecure: true, logLevel: "trace"));

        Assert.True(result.Succeeded, result.Error);
        Assert.True(result.Config.Transport.SkipTlsVerify);
        Assert.Equal(LogLevel.Trace, result.Config.Logging.Level);
    }

    [Fact]
    public void Load_EnvLogLevelBeatsFileLevel()
    {
        var c = LoadOk("""{"clientId":"c","serverUrl":"https://x.example","authToken":"t","logging":{"level":"error"}}""", new() { ["LOG_LEVEL"] = "WARN" });
        Assert.Equal(LogLevel.Warning, c.Logging.Level);
    }

    [Fact]
    public void Load_ConfigFlagBeatsClientConfigPath()
    {
        var flagFile = _dir.Write("flag.json", """{"clientId":"from-flag","serverUrl":"https://x.example","authToken":"t"}""");
        var envFile = _dir.Write("env.json", """{"clientId":"from-env","serverUrl":"https://x.example","authToken":"t"}""");

        var byFlag = ConfigLoader.Load(Sources(new() { ["CLIENT_CONFIG_PATH"] = envFile }, flag: flagFile));
        var byEnv = ConfigLoader.Load(Sources(new() { ["CLIENT_CONFIG_PATH"] = envFile }));

        Assert.Equal("from-flag", byFlag.Config!.ClientId);
        Assert.Equal("from-env", byEnv.Config!.ClientId);
        Assert.Equal(envFile, byEnv.Config.ConfigPath);
    }

    [Fact]
    public void Load_EveryEnvironmentVariable_IsMapped()
    {
        var ca = WriteCaFile();
        var env = new Dictionary<string, string?>
        {
            ["CLIENT_ID"] = "env-client",
            ["SERVER_URL"] = "http://10.0.0.5:3000",
            ["AUTH_TOKEN"] = "env-token",
            ["STATS_INTERVAL_SEC"] = "11",
            ["HEARTBEAT_INTERVAL_SEC"] = "12",
            ["PONG_TIMEOUT_SEC"] = "13",
            ["ADMIN_ALLOWED_COMMANDS"] = " uptime , ,df -h,",
            ["ADMIN_MAX_CONCURRENT"] = "7",
            ["AGENT_SKIP_TLS_VERIFY"] = "1",
            ["AGENT_CA_FILE"] = ca,
            ["KEYS_BASE_URL"] = "https://keys.example.org",
            ["LOG_FILE"] = "logs/agent.log",
            ["LOG_LEVEL"] = "debug",
            ["STATE_DIR"] = "/var/lib/tether",
        };

        var result = ConfigLoader.Load(Sources(env));

        Assert.True(result.Succeeded, result.Error);
        var c = result.Config;
        Assert.Equal("env-client", c.ClientId);
        Assert.Equal(new Uri("http://10.0.0.5:3000"), c.ServerUri);
        Assert.Equal("env-token", c.AuthToken);
        Assert.Equal(11, c.StatsIntervalSec);
        Assert.Equal(12, c.HeartbeatIntervalSec);
        Assert.Equal(13, c.PongTimeoutSec);
        Assert.Equal(["uptime", "df -h"], c.Admin.AllowedCommands);
        Assert.Equal(7, c.Admin.MaxConcurrent);
        Assert.True(c.Transport.SkipTlsVerify);
        Assert.Equal(ca, c.Transport.CaFile);
        Assert.Equal(new Uri("https://keys.example.org"), c.Keys.BaseUrl);
        Assert.Equal(Path.Combine(_dir.Path, "logs", "agent.log"), c.Logging.File);
        Assert.Equal(LogLevel.Debug, c.Logging.Level);
        Assert.Equal("/var/lib/tether", c.StateDir);
        Assert.False(c.UsesTls);
    }

    [Fact]
    public void Load_EmptyEnvironmentValue_CountsAsUnset()
    {
        var c = LoadOk(MinimalFile, new() { ["CLIENT_ID"] = "", ["STATS_INTERVAL_SEC"] = "" });
        Assert.Equal("c1", c.ClientId);
        Assert.Equal(60, c.StatsIntervalSec);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void Load_SkipTlsVerifyEnv_AcceptsBooleanWords(string value, bool expected)
    {
        var c = LoadOk(MinimalFile, new() { ["AGENT_SKIP_TLS_VERIFY"] = value });
        Assert.Equal(expected, c.Transport.SkipTlsVerify);
    }

    [Fact]
    public void Load_SkipTlsVerifyEnv_RejectsOtherWords()
    {
        var error = LoadError(MinimalFile, new() { ["AGENT_SKIP_TLS_VERIFY"] = "yes" });
        Assert.Contains("transport.skipTlsVerify", error, StringComparison.Ordinal);
        Assert.Contains("AGENT_SKIP_TLS_VERIFY", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoFileButEnvironmentHasRequiredKeys_Succeeds()
    {
        var result = ConfigLoader.Load(Sources(new() { ["CLIENT_ID"] = "c", ["SERVER_URL"] = "https://x.example", ["AUTH_TOKEN"] = "t" }));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(Path.Combine(_dir.Path, "agent-config.json"), result.Config.ConfigPath);
    }

    [Fact]
    public void Load_ExplicitConfigFileMissing_IsAnError()
    {
        var env = new Dictionary<string, string?> { ["CLIENT_ID"] = "c", ["SERVER_URL"] = "https://x.example", ["AUTH_TOKEN"] = "t" };
        var byFlag = ConfigLoader.Load(Sources(env, flag: "missing.json"));
        var byEnv = ConfigLoader.Load(Sources(new(env) { ["CLIENT_CONFIG_PATH"] = "/nonexistent/agent.json" }));

        Assert.Contains("--config", byFlag.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", byFlag.Error, StringComparison.Ordinal);
        Assert.Contains("CLIENT_CONFIG_PATH", byEnv.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clientId", "CLIENT_ID")]
    [InlineData("serverUrl", "SERVER_URL")]
    [InlineData("authToken", "AUTH_TOKEN")]
    public void Load_MissingRequiredKey_NamesIt(string key, string env)
    {
        var values = new Dictionary<string, string?> { ["CLIENT_ID"] = "c", ["SERVER_URL"] = "https://x.example", ["AUTH_TOKEN"] = "t" };
        values.Remove(env);

        var result = ConfigLoader.Load(Sources(values));

        Assert.False(result.Succeeded);
        Assert.StartsWith($"config: {key} is required", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "readable by its group (mode 0640)")]
    [InlineData(UnixFileMode.OtherRead, "readable by others (mode 0604)")]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.OtherRead, "readable by group and others (mode 0644)")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Load_FileHoldingTheTokenReadableByOthers_IsAWarning(UnixFileMode extra, string expected)
    {
        var path = _dir.Write("agent-config.json", """{"clientId":"c","serverUrl":"https://x.example","authToken":"t"}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var result = ConfigLoader.Load(Sources(null));

        Assert.True(result.Succeeded, result.Error);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal($"{path} holds authToken and is {expected}; run chmod 600 on it", warning);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Load_TokenFromTheEnvironment_DoesNotWarnAboutTheFile()
    {
        var path = _dir.Write("agent-config.json", """{"clientId":"c","serverUrl":"https://x.example"}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = ConfigLoader.Load(Sources(new() { ["AUTH_TOKEN"] = "from-env" }));

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_UnknownKeys_WarnedByPathIncludingNested()
    {
        var result = LoadFile("""{"clientId":"c","serverUrl":"https://x.example","authToken":"t","statInterval":5,"admin":{"alowedCommands":["x"]},"logging":{"leve":"info"}}""");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["unknown config key statInterval", "unknown config key admin.alowedCommands", "unknown config key logging.leve"], result.Warnings);
    }

    [Theory]
    [InlineData("""{"statsIntervalSec":"abc"}""", "statsIntervalSec must be an integer between 1 and 86400 (got \"abc\" from ")]
    [InlineData("""{"statsIntervalSec":0}""", "statsIntervalSec must be an integer between 1 and 86400 (got 0 from ")]
    [InlineData("""{"heartbeatIntervalSec":1.5}""", "heartbeatIntervalSec must be an integer")]
    [InlineData("""{"pongTimeoutSec":true}""", "pongTimeoutSec must be an integer")]
    [InlineData("""{"clientId":42}""", "clientId must be a string (got 42 from ")]
    [InlineData("""{"authToken":12345678}""", "authToken must be a string (got a number from ")]
    [InlineData("""{"admin":[]}""", "admin must be an object (got an array from ")]
    [InlineData("""{"admin":{"allowedCommands":"uptime"}}""", "admin.allowedCommands must be an array of strings")]
    [InlineData("""{"admin":{"allowedCommands":["ok", 3]}}""", "admin.allowedCommands[1] must be a non-empty string")]
    [InlineData("""{"admin":{"allowedCwds":["relative/dir"]}}""", "admin.allowedCwds[0] must be an absolute path")]
    [InlineData("""{"admin":{"allowedEnv":"APP_MODE"}}""", "admin.allowedEnv must be an array of strings")]
    [InlineData("""{"admin":{"allowedEnv":["APP-MODE"]}}""", "admin.allowedEnv[0] must be an environment name matching [A-Za-z_][A-Za-z0-9_]* (got \"APP-MODE\" from ")]
    [InlineData("""{"admin":{"allowedEnv":["OK","LD_PRELOAD"]}}""", "admin.allowedEnv[1] LD_PRELOAD can never be allowed")]
    [InlineData("""{"admin":{"allowedEnv":["TAR_OPTIONS"]}}""", "admin.allowedEnv[0] TAR_OPTIONS can never be allowed")]
    [InlineData("""{"admin":{"allowedEnv":["path"]}}""", "admin.allowedEnv[0] path can never be allowed")]
    [InlineData("""{"admin":{"maxConcurrent":0}}""", "admin.maxConcurrent must be an integer between 1 and 1024")]
    [InlineData("""{"admin":{"enableShell":"yes"}}""", "admin.enableShell must be true or false")]
    [InlineData("""{"transport":{"maxPayloadBytes":1000}}""", "transport.maxPayloadBytes must be an integer between 1024 and")]
    [InlineData("""{"transport":{"path":"socket.io"}}""", "transport.path must start with '/'")]
    [InlineData("""{"transport":{"caFile":"/nonexistent/ca.pem"}}""", "transport.caFile /nonexistent/ca.pem (from ")]
    [InlineData("""{"shell":{"outputEncoding":"latin1"}}""", "shell.outputEncoding must be \"utf8\" or \"base64\" (got \"latin1\")")]
    [InlineData("""{"shell":{"reconnectGraceSec":-1}}""", "shell.reconnectGraceSec must be an integer between 0 and 86400")]
    [InlineData("""{"logging":{"level":"verbose"}}""", "logging.level must be one of trace, debug, info, warn, error (got \"verbose\" from ")]
    [InlineData("""{"logging":{"maxBytes":10}}""", "logging.maxBytes must be an integer between 1024 and")]
    [InlineData("""{"logging":{"retainedFiles":1001}}""", "logging.retainedFiles must be an integer between 0 and 1000")]
    [InlineData("""{"keys":{"baseUrl":"ftp://x"}}""", "keys.baseUrl must be an absolute http(s):// URL")]
    [InlineData("""{"keys":{"enabled":"no"}}""", "keys.enabled must be true or false")]
    [InlineData("""{"serverUrl":"dash.example.com"}""", "serverUrl must be an absolute http(s):// or ws(s):// URL")]
    [InlineData("""{"serverUrl":"ftp://dash.example.com"}""", "serverUrl must be an absolute")]
    [InlineData("""{"clientId":""}""", "clientId is required")]
    public void Load_BadFileValue_ErrorNamesTheKey(string overlay, string expected)
    {
        var error = LoadError(Merge(overlay));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("STATS_INTERVAL_SEC", "abc", "config: statsIntervalSec must be an integer between 1 and 86400 (got \"abc\" from STATS_INTERVAL_SEC)")]
    [InlineData("PONG_TIMEOUT_SEC", "99999999999", "config: pongTimeoutSec must be an integer between 2 and 86400 (got \"99999999999\" from PONG_TIMEOUT_SEC)")]
    [InlineData("ADMIN_MAX_CONCURRENT", "two", "config: admin.maxConcurrent must be an integer between 1 and 1024 (got \"two\" from ADMIN_MAX_CONCURRENT)")]
    [InlineData("LOG_LEVEL", "loud", "config: logging.level must be one of trace, debug, info, warn, error (got \"loud\" from LOG_LEVEL)")]
    public void Load_BadEnvironmentValue_ErrorNamesKeyAndVariable(string name, string value, string expected)
    {
        Assert.Equal(expected, LoadError(MinimalFile, new() { [name] = value }));
    }

    [Fact]
    public void Load_BadLogLevelFlag_NamesTheFlag()
    {
        _dir.Write("agent-config.json", MinimalFile);
        var result = ConfigLoader.Load(Sources(logLevel: "chatty"));
        Assert.Contains("(got \"chatty\" from --log-level)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedJson_ReportsLineAndPosition()
    {
        var error = LoadError("{\n  \"clientId\": \"c\",\n  \"serverUrl\" \"x\"\n}");
        Assert.Contains("is not valid JSON at line 3, position", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RootNotObject_IsAnError()
    {
        Assert.Contains("must hold a JSON object", LoadError("[1,2]"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://x.example/?sig=abc")]
    [InlineData("https://x.example/#frag")]
    [InlineData("https://user:pw@x.example/")]
    public void Load_ServerUrlWithQueryFragmentOrCredentials_IsRejectedWithoutEchoingThem(string url)
    {
        var error = LoadError(MinimalFile, new() { ["SERVER_URL"] = url });
        Assert.Contains("serverUrl must not carry credentials, a query or a fragment", error, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", error, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wss://x.example/base", "https://x.example/base", "/base/socket.io/")]
    [InlineData("ws://x.example:8080", "http://x.example:8080/", "/socket.io/")]
    [InlineData("https://x.example/base/", "https://x.example/base/", "/base/socket.io/")]
    public void Load_ServerUrl_NormalisedWithEnginePath(string url, string expectedUri, string expectedPath)
    {
        var c = LoadOk(MinimalFile, new() { ["SERVER_URL"] = url });
        Assert.Equal(new Uri(expectedUri), c.ServerUri);
        Assert.Equal(expectedPath, EnginePath(c));
    }

    [Fact]
    public void Load_ClientIdTooLongOrWithControlCharacters_IsRejected()
    {
        Assert.Contains("clientId must be 1 to 256 characters", LoadError(MinimalFile, new() { ["CLIENT_ID"] = new string('a', 257) }), StringComparison.Ordinal);
        Assert.Contains("clientId must be 1 to 256 characters", LoadError(MinimalFile, new() { ["CLIENT_ID"] = "a\u0007b" }), StringComparison.Ordinal);
        Assert.Equal(256, LoadOk(MinimalFile, new() { ["CLIENT_ID"] = new string('a', 256) }).ClientId.Length);
    }

    [Fact]
    public void Load_AuthTokenWithNewline_IsRejectedWithoutEchoingIt()
    {
        var error = LoadError(MinimalFile, new() { ["AUTH_TOKEN"] = "s3cret-token-value\n" });
        Assert.Equal("config: authToken must not contain control characters (from AUTH_TOKEN)", error);
    }

    [Fact]
    public void Load_CaFileThatIsNotPem_IsRejected()
    {
        var bad = _dir.Write("bad.pem", "not a certificate");
        var error = LoadError(MinimalFile, new() { ["AGENT_CA_FILE"] = bad });
        Assert.Contains("transport.caFile", error, StringComparison.Ordinal);
        Assert.Contains("AGENT_CA_FILE", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTPS_PROXY", "proxy.example:3128")]
    [InlineData("https_proxy", "socks5://proxy.example:1080")]
    [InlineData("HTTP_PROXY", "not a url")]
    public void Load_BadProxyVariable_ErrorNamesIt(string name, string value)
    {
        var error = LoadError(MinimalFile, new() { [name] = value });
        Assert.StartsWith($"config: {name} must be an http:// or https:// URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadProxyVariable_NeverEchoesCredentials()
    {
        var error = LoadError(MinimalFile, new() { ["HTTPS_PROXY"] = "socks5://bob:hunter2@proxy.example:1080" });
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProxyVariables_UpperCaseWins()
    {
        var c = LoadOk(MinimalFile, new()
        {
            ["HTTPS_PROXY"] = "http://upper.example:3128",
            ["https_proxy"] = "http://lower.example:3128",
            ["http_proxy"] = "http://plain.example:8080",
            ["no_proxy"] = "internal.example",
        });
        Assert.Equal("upper.example", c.Proxy.HttpsProxy!.Host);
        Assert.Equal("plain.example", c.Proxy.HttpProxy!.Host);
        Assert.Single(c.Proxy.NoProxy);
    }

    [Fact]
    public void Load_InsecureFlagFalse_BeatsEnvironmentTrue()
    {
        _dir.Write("agent-config.json", MinimalFile);
        var result = ConfigLoader.Load(Sources(new() { ["AGENT_SKIP_TLS_VERIFY"] = "true" }, insecure: false));
        Assert.False(result.Config!.Transport.SkipTlsVerify);
    }

    [Fact]
    public void Load_BadNoProxyEntry_IsWarnedAndSkipped()
    {
        var result = LoadFile(MinimalFile, new() { ["HTTPS_PROXY"] = "http://p.example:3128", ["NO_PROXY"] = "good.example,bad host!,10.0.0.0/99" });
        Assert.True(result.Succeeded, result.Error);
        Assert.Single(result.Config.Proxy.NoProxy);
        Assert.Equal(2, result.Warnings.Count(w => w.StartsWith("NO_PROXY entry", StringComparison.Ordinal)));
    }

    [Fact]
    public void LoadFailure_LogFileHint_FollowsLogFileThenFileThenDefault()
    {
        var byDefault = LoadFile("""{"clientId":"c"}""");
        var byFile = LoadFile("""{"clientId":"c","logging":{"file":"logs/x.log"}}""");
        var byEnv = LoadFile("""{"clientId":"c","logging":{"file":"logs/x.log"}}""", new() { ["LOG_FILE"] = "/var/log/tether.log" });
        var malformed = LoadFile("{");

        Assert.Equal(Path.Combine(_dir.Path, "agent.log"), byDefault.LogFileHint);
        Assert.Equal(Path.Combine(_dir.Path, "logs", "x.log"), byFile.LogFileHint);
        Assert.Equal("/var/log/tether.log", byEnv.LogFileHint);
        Assert.Equal(Path.Combine(_dir.Path, "agent.log"), malformed.LogFileHint);
        Assert.Equal(LoadOk(MinimalFile).Logging.File, LoadFile(MinimalFile).LogFileHint);
    }

    [Fact]
    public void BackupMaxConcurrent_DefaultsToOne_AndIsBounded()
    {
        const string Base = """{"clientId":"c","serverUrl":"https://d.example.com","authToken":"s3cret-token-value",""";
        Assert.Equal(1, LoadOk(Base + "\"backup\":{}}").Backup.MaxConcurrent);
        Assert.Equal(3, LoadOk(Base + "\"backup\":{\"maxConcurrent\":3}}").Backup.MaxConcurrent);
        Assert.Contains("backup.maxConcurrent must be an integer between 1 and 64", LoadError(Base + "\"backup\":{\"maxConcurrent\":0}}"), StringComparison.Ordinal);
        Assert.Contains("backup.maxConcurrent must be an integer between 1 and 64", LoadError(Base + "\"backup\":{\"maxConcurrent\":65}}"), StringComparison.Ordinal);
    }

    [Fact]
    public void ShellResolveCommand_DefaultsToBashLoginElseSh()
    {
        var shell = new ShellSettings();
        if (OperatingSystem.IsWindows())
        {
            Assert.Equal("cmd.exe", shell.ResolveCommand().File);
            return;
        }

        var bash = shell.ResolveCommand(_ => true);
        Assert.Equal("/bin/bash", bash.File);
        Assert.Equal(["-l"], bash.Args);
        Assert.Equal("/bin/sh", shell.ResolveCommand(_ => false).File);
        Assert.Empty(shell.ResolveCommand(_ => false).Args);
        var custom = new ShellSettings { Command = "/bin/zsh", Args = ["-i"] }.ResolveCommand(_ => true);
        Assert.Equal("/bin/zsh", custom.File);
        Assert.Equal(["-i"], custom.Args);
    }

    [Theory]
    [InlineData("https://dash.example.com", "wss://dash.example.com/socket.io/")]
    [InlineData("http://dash.example.com:3000/base", "ws://dash.example.com:3000/base/socket.io/")]
    [InlineData("https://dash.example.com:8443/", "wss://dash.example.com:8443/socket.io/")]
    public void EngineEndpoint_CombinesSchemeHostBaseAndPath(string url, string expected)
    {
        var c = LoadOk(MinimalFile, new() { ["SERVER_URL"] = url });
        Assert.Equal(expected, new Uri(EngineEndpoint.BaseAddress(c.ServerUri, c.Transport.Path)).ToString());
    }

    [Theory]
    [InlineData("https://github.com", "https://github.com/octocat.keys")]
    [InlineData("https://keys.example.com/mirror/", "https://keys.example.com/mirror/octocat.keys")]
    public void KeysUrl_KeepsBasePath(string baseUrl, string expected)
    {
        var c = LoadOk(MinimalFile, new() { ["KEYS_BASE_URL"] = baseUrl });
        Assert.Equal(expected, c.Keys.KeysUrl("octocat").ToString());
    }

    private static string Merge(string overlay)
    {
        // Overlay keys replace the minimal file's keys at the top level.
        var baseObj = System.Text.Json.Nodes.JsonNode.Parse(MinimalFile)!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(overlay)!.AsObject().ToList())
        {
            baseObj[key] = value?.DeepClone();
        }

        return baseObj.ToJsonString();
    }

    private string WriteCaFile()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Test CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return _dir.Write("ca.pem", cert.ExportCertificatePem());
    }

    // The path the connection uses, built by the transport from what the loader produced.
    private static string EnginePath(AgentConfig c) => new Uri(EngineEndpoint.BaseAddress(c.ServerUri, c.Transport.Path)).AbsolutePath;
}
