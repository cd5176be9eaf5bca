using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tether.Platform.FileSystem;
using Tether.Policy;

namespace Tether.Config;

/// <summary>
/// Builds <see cref="AgentConfig"/> from flags, environment, the JSON file and defaults, strongest first (docs/protocol.md §7).
/// Bad input never throws: it yields one error naming the key. Ranges are documented on the settings properties.
/// </summary>
internal static partial class ConfigLoader
{
    public const string DefaultFileName = "agent-config.json";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ConfigLoadResult Load(ConfigSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var warnings = new List<string>();
        string? configPath = null;
        JsonDocument? document = null;
        try
        {
            configPath = ResolveConfigPath(sources, out var mustExist, out var origin);
            document = ReadFile(configPath, mustExist, origin);
            JsonElement? root = document?.RootElement;
            if (root is { } r)
            {
                CheckShape(r, configPath, warnings);
            }

            var reader = new ConfigReader(sources, root, configPath);
            var config = Build(reader, sources, configPath, warnings);
            return ConfigLoadResult.Success(config, warnings);
        }
        catch (ConfigErrorException e)
        {
            return ConfigLoadResult.Failure(e.Message, warnings, LogFileHint(sources, configPath ?? Path.Combine(sources.WorkingDirectory, DefaultFileName), document));
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static string LogFileHint(ConfigSources sources, string configPath, JsonDocument? document)
    {
        var directory = Path.GetDirectoryName(configPath) ?? sources.WorkingDirectory;
        try
        {
            if (sources.Environment.TryGetValue("LOG_FILE", out var env) && !string.IsNullOrEmpty(env))
            {
                return Path.GetFullPath(env, sources.WorkingDirectory);
            }

            if (document?.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("logging", out var logging) && logging.ValueKind == JsonValueKind.Object
                && logging.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(file.GetString()))
            {
                return Path.GetFullPath(file.GetString()!, directory);
            }
        }
        catch (ArgumentException)
        {
            // A path that does not resolve: fall back to the default.
        }

        return Path.Combine(directory, "agent.log");
    }

    private static string ResolveConfigPath(ConfigSources sources, out bool mustExist, out string origin)
    {
        mustExist = true;
        if (!string.IsNullOrEmpty(sources.ConfigPathFlag))
        {
            origin = "--config";
            return FullPath(sources.ConfigPathFlag, sources.WorkingDirectory, origin);
        }

        if (sources.Environment.TryGetValue("CLIENT_CONFIG_PATH", out var env) && !string.IsNullOrEmpty(env))
        {
            origin = "CLIENT_CONFIG_PATH";
            return FullPath(env, sources.WorkingDirectory, origin);
        }

        mustExist = false;
        origin = "default";
        return Path.Combine(sources.WorkingDirectory, DefaultFileName);
    }

    private static string FullPath(string path, string baseDirectory, string origin)
    {
        try
        {
            return Path.GetFullPath(path, baseDirectory);
        }
        catch (ArgumentException)
        {
            throw ConfigReader.Fail($"config file path from {origin} is not a valid path (got {ConfigReader.Quote(path)})");
        }
    }

    private static JsonDocument? ReadFile(string path, bool mustExist, string origin)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                if (mustExist)
                {
                    throw ConfigReader.Fail($"config file {path} (from {origin}) does not exist");
                }

                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigReader.Fail($"cannot read config file {path}: {e.Message}");
        }

        ReadOnlyMemory<byte> json = bytes;
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            json = json[3..];
        }

        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var reason = e.Message;
            var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut < 0)
            {
                cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            }

            if (cut > 0)
            {
                reason = reason[..cut];
            }

            // With UseSystemResourceKeys (NativeAOT) the reason is a resource key such as "ZeroDepthAtEnd, ".
            reason = reason.Trim().TrimEnd(',', '.').Trim();
            var where = $"{path} is not valid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}";
            throw ConfigReader.Fail(reason.Length > 0 ? $"{where}: {reason}" : where);
        }
    }

    /// <summary>The root and sections must be objects; every unknown key, nested ones too, becomes a warning.</summary>
    private static void CheckShape(JsonElement root, string path, List<string> warnings)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ConfigReader.Fail($"{path} must hold a JSON object (got {ConfigReader.Describe(root, secret: true)})");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!ConfigKeys.TopLevel.Contains(property.Name))
            {
                warnings.Add($"unknown config key {property.Name}");
                continue;
            }

            if (!ConfigKeys.Sections.TryGetValue(property.Name, out var known) || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw ConfigReader.Fail($"{property.Name} must be an object (got {ConfigReader.Describe(property.Value, secret: false)} from {path})");
            }

            foreach (var inner in property.Value.EnumerateObject())
            {
                if (!known.Contains(inner.Name))
                {
                    warnings.Add($"unknown config key {property.Name}.{inner.Name}");
                }
            }
        }
    }

    private static AgentConfig Build(ConfigReader reader, ConfigSources sources, string configPath, List<string> warnings)
    {
        var configDirectory = Path.GetDirectoryName(configPath) ?? sources.WorkingDirectory;

        var clientId = Required(reader, "clientId", "CLIENT_ID", configPath);
        if (clientId.Value.Length > 256 || clientId.Value.Any(char.IsControl))
        {
            throw ConfigReader.Fail($"clientId must be 1 to 256 characters without control characters (from {clientId.Origin})");
        }

        var serverUrl = Required(reader, "serverUrl", "SERVER_URL", configPath);
        var serverUri = ParseHttpUrl("serverUrl", serverUrl, allowWebSocket: true);

        var authToken = Required(reader, "authToken", "AUTH_TOKEN", configPath, secret: true);
        if (authToken.Value.Any(char.IsControl))
        {
            throw ConfigReader.Fail($"authToken must not contain control characters (from {authToken.Origin})");
        }

        WarnWhenSecretIsShared(authToken.Origin, configPath, warnings);

        var stats = (int)reader.Integer("statsIntervalSec", "STATS_INTERVAL_SEC", 60, 1, 86400);
        var heartbeat = (int)reader.Integer("heartbeatIntervalSec", "HEARTBEAT_INTERVAL_SEC", 15, 1, 3600);
        var pongTimeout = (int)reader.Integer("pongTimeoutSec", "PONG_TIMEOUT_SEC", 90, 2, 86400);
        var stateDir = reader.String("stateDir", "STATE_DIR") is { } sd
            ? reader.ResolvePath("stateDir", sd)
            : Path.Combine(configDirectory, "state");

        var transport = BuildTransport(reader, sources);
        var admin = new AdminSettings
        {
            AllowedCommands = AllowedCommands(reader),
            AllowedCwds = reader.AbsolutePaths("admin.allowedCwds", reader.List("admin.allowedCwds", null)),
            AllowedEnv = AllowedEnv(reader),
            MaxConcurrent = (int)reader.Integer("admin.maxConcurrent", "ADMIN_MAX_CONCURRENT", 2, 1, 1024),
            DefaultTimeoutSec = (int)reader.Integer("admin.defaultTimeoutSec", null, 30, 1, 86400),
            MaxOutputBytes = (int)reader.Integer("admin.maxOutputBytes", null, 1024 * 1024, 1024, 1L << 30),
            EnableShell = reader.Boolean("admin.enableShell", null, true),
        };
        var shell = BuildShell(reader);
        var backup = new BackupSettings
        {
            AllowedSourceRoots = reader.AbsolutePaths("backup.allowedSourceRoots", reader.List("backup.allowedSourceRoots", null)),
            AllowedDestRoots = reader.AbsolutePaths("backup.allowedDestRoots", reader.List("backup.allowedDestRoots", null)),
            MaxConcurrent = (int)reader.Integer("backup.maxConcurrent", null, 1, 1, 64),
            SshKnownHostsFile = reader.String("backup.sshKnownHostsFile", null) is { } kh ? reader.ResolvePath("backup.sshKnownHostsFile", kh) : null,
            SshIdentityFile = reader.String("backup.sshIdentityFile", null) is { } id ? reader.ResolvePath("backup.sshIdentityFile", id) : null,
        };
        var keysBase = reader.String("keys.baseUrl", "KEYS_BASE_URL") is { } kb
            ? ParseHttpUrl("keys.baseUrl", kb, allowWebSocket: false)
            : new Uri("https://github.com");
        var keys = new KeysSettings
        {
            Enabled = reader.Boolean("keys.enabled", null, true),
            BaseUrl = new Uri(keysBase.GetLeftPart(UriPartial.Path).TrimEnd('/')),
            AuthorizedKeysFile = reader.String("keys.authorizedKeysFile", null) is { } ak
                ? reader.ResolvePath("keys.authorizedKeysFile", ak)
                : Path.Combine(sources.HomeDirectory, ".ssh", "authorized_keys"),
        };
        var logging = BuildLogging(reader, sources, configDirectory);
        var statsSettings = BuildStats(reader);
        var proxy = ProxyEnvironment.Parse(sources.Environment, out var proxyError, warnings);
        if (proxyError is not null)
        {
            throw ConfigReader.Fail(proxyError);
        }

        return new AgentConfig
        {
            ConfigPath = configPath,
            ConfigDirectory = configDirectory,
            ClientId = clientId.Value,
            ServerUri = serverUri,
            AuthToken = authToken.Value,
            StatsIntervalSec = stats,
            HeartbeatIntervalSec = heartbeat,
            PongTimeoutSec = pongTimeout,
            StateDir = stateDir,
            Transport = transport,
            Admin = admin,
            Shell = shell,
            Backup = backup,
            Stats = statsSettings,
            Keys = keys,
            Logging = logging,
            Update = BuildUpdate(reader),
            Proxy = proxy!,
        };
    }

    /// <summary>
    /// docs/protocol.md §7: the file that holds <c>authToken</c> should be readable by the agent's user only;
    /// any local user who reads it can sign in as this host and receive its commands.
    /// </summary>
    private static void WarnWhenSecretIsShared(string tokenOrigin, string configPath, List<string> warnings)
    {
        const int GroupOrOtherRead = 0x24; // 0044
        if (tokenOrigin == configPath && FileAccessBits.TryRead(configPath) is { } mode && (mode & GroupOrOtherRead) != 0)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{configPath} holds authToken and is readable by {((mode & 0x20) != 0 ? (mode & 0x4) != 0 ? "group and others" : "its group" : "others")} (mode {Convert.ToString(mode, 8).PadLeft(4, '0')}); run chmod 600 on it"));
        }
    }

    private static ConfigReader.Sourced<string> Required(ConfigReader reader, string key, string env, string configPath, bool secret = false)
    {
        var value = reader.String(key, env, secret);
        if (value is not { } v || v.Value.Length == 0)
        {
            throw ConfigReader.Fail($"{key} is required (set {key} in {configPath} or {env})");
        }

        return v;
    }

    private static IReadOnlyList<string> AllowedCommands(ConfigReader reader) =>
        reader.List("admin.allowedCommands", "ADMIN_ALLOWED_COMMANDS")?.Value ?? [];

    /// <summary><c>admin.allowedEnv</c>: POSIX names, none the agent protects (docs/protocol.md §4).</summary>
    private static IReadOnlyList<string> AllowedEnv(ConfigReader reader)
    {
        if (reader.List("admin.allowedEnv", null) is not { } list)
        {
            return [];
        }

        for (var i = 0; i < list.Value.Count; i++)
        {
            var name = list.Value[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"admin.allowedEnv[{i}]");
            if (!TextChecks.IsPosixName(name))
            {
                throw ConfigReader.Fail($"{at} must be an environment name matching [A-Za-z_][A-Za-z0-9_]* (got {ConfigReader.Quote(name)} from {list.Origin})");
            }

            if (EnvironmentNames.IsProtected(name))
            {
                throw ConfigReader.Fail($"{at} {name} can never be allowed: it chooses which program runs or makes one run other code (from {list.Origin})");
            }
        }

        return list.Value;
    }

    private static TransportSettings BuildTransport(ConfigReader reader, ConfigSources sources)
    {
        var path = reader.String("transport.path", null) is { } p ? p.Value : "/socket.io";
        if (!path.StartsWith('/') || path.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '?' or '#'))
        {
            throw ConfigReader.Fail($"transport.path must start with '/' and hold no spaces, '?' or '#' (got {ConfigReader.Quote(path)})");
        }

        var ns = reader.String("transport.namespace", null) is { } n ? n.Value : "/agents";
        if (!ns.StartsWith('/') || ns.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '?' or '#' or ','))
        {
            throw ConfigReader.Fail($"transport.namespace must start with '/' and hold no spaces, '?', '#' or ',' (got {ConfigReader.Quote(ns)})");
        }

        string? caFile = null;
        if (reader.String("transport.caFile", "AGENT_CA_FILE") is { } ca)
        {
            caFile = reader.ResolvePath("transport.caFile", ca);
            CheckCaFile(caFile, ca.Origin);
        }

        var skip = sources.Insecure ?? reader.Boolean("transport.skipTlsVerify", "AGENT_SKIP_TLS_VERIFY", false);
        return new TransportSettings
        {
            Path = path.TrimEnd('/'),
            Namespace = ns,
            CaFile = caFile,
            SkipTlsVerify = skip,
            MaxPayloadBytes = (int)reader.Integer("transport.maxPayloadBytes", null, 1_000_000, 1024, 1L << 30),
        };
    }

    /// <summary>Checked at load, not at connect: a wrong CA path is an operator error that should stop the agent with exit 2.</summary>
    private static void CheckCaFile(string path, string origin)
    {
        if (!File.Exists(path))
        {
            throw ConfigReader.Fail($"transport.caFile {path} (from {origin}) does not exist");
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            var count = certificates.Count;
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }

            if (count == 0)
            {
                throw ConfigReader.Fail($"transport.caFile {path} (from {origin}) holds no PEM certificate");
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw ConfigReader.Fail($"transport.caFile {path} (from {origin}) is not a readable PEM certificate file: {e.Message}");
        }
    }

    private static StatsSettings BuildStats(ConfigReader reader)
    {
        var excludeMounts = reader.List("stats.excludeMounts", null)?.Value ?? [];
        foreach (string mount in excludeMounts)
        {
            if (mount[0] != '/' && !(mount.Length >= 2 && mount[1] == ':'))
            {
                throw ConfigReader.Fail($"stats.excludeMounts entries must be absolute mount points or globs (got {ConfigReader.Quote(mount)})");
            }

            CheckGlob("stats.excludeMounts", mount);
        }

        var sensors = reader.List("stats.sensors", null)?.Value ?? [];
        foreach (string sensor in sensors)
        {
            if (sensor == "!")
            {
                throw ConfigReader.Fail("stats.sensors entries must be non-empty globs (\"!glob\" denies)");
            }

            CheckGlob("stats.sensors", sensor.StartsWith('!') ? sensor[1..] : sensor);
        }

        string containers = reader.String("stats.containers", null)?.Value ?? "auto";
        return new StatsSettings
        {
            ExcludeMounts = excludeMounts,
            Sensors = sensors,
            Containers = containers switch
            {
                "auto" => true,
                "off" => false,
                _ => throw ConfigReader.Fail($"stats.containers must be \"auto\" or \"off\" (got {ConfigReader.Quote(containers)})"),
            },
        };
    }

    private static void CheckGlob(string key, string glob)
    {
        try
        {
            DotNet.Globbing.Glob.Parse(glob);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw ConfigReader.Fail($"{key}: {ConfigReader.Quote(glob)} is not a glob ({e.Message})");
        }
    }

    /// <summary>The <c>update</c> section (docs/protocol.md §10); every key must import as an ECDSA P-256 public key.</summary>
    private static UpdateSettings BuildUpdate(ConfigReader reader)
    {
        var keys = reader.List("update.publicKeys", null)?.Value ?? [];
        for (int i = 0; i < keys.Count; i++)
        {
            try
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(keys[i]);
                if (ecdsa.KeySize != 256)
                {
                    throw ConfigReader.Fail($"update.publicKeys[{i}] is a {ecdsa.KeySize}-bit ECDSA key; updates are signed with P-256 (openssl ecparam -name prime256v1)");
                }
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw ConfigReader.Fail($"update.publicKeys[{i}] is not an ECDSA P-256 public key in PEM (-----BEGIN PUBLIC KEY-----, newlines as \\n): {e.Message}");
            }
        }

        return new UpdateSettings
        {
            PublicKeys = keys,
            AllowDowngrade = reader.Boolean("update.allowDowngrade", null, false),
            ProbationSec = (int)reader.Integer("update.probationSec", null, 120, 1, 86400),
        };
    }

    private static ShellSettings BuildShell(ConfigReader reader)
    {
        var command = reader.String("shell.command", null)?.Value;
        if (command is not null && command.Trim().Length == 0)
        {
            throw ConfigReader.Fail("shell.command must be a non-empty string or null");
        }

        var encodingText = reader.String("shell.outputEncoding", null)?.Value ?? "utf8";
        var encoding = encodingText.ToLowerInvariant() switch
        {
            "utf8" or "utf-8" => ShellOutputEncoding.Utf8,
            "base64" => ShellOutputEncoding.Base64,
            _ => throw ConfigReader.Fail($"shell.outputEncoding must be \"utf8\" or \"base64\" (got {ConfigReader.Quote(encodingText)})"),
        };
        return new ShellSettings
        {
            Command = command,
            Args = reader.List("shell.args", null)?.Value ?? [],
            OutputEncoding = encoding,
            ReconnectGraceSec = (int)reader.Integer("shell.reconnectGraceSec", null, 30, 0, 86400),
        };
    }

    private static LoggingSettings BuildLogging(ConfigReader reader, ConfigSources sources, string configDirectory)
    {
        LogLevel level;
        if (!string.IsNullOrEmpty(sources.LogLevel))
        {
            level = ParseLevel(sources.LogLevel, "--log-level");
        }
        else if (reader.String("logging.level", "LOG_LEVEL") is { } l)
        {
            level = ParseLevel(l.Value, l.Origin);
        }
        else
        {
            level = LogLevel.Information;
        }

        return new LoggingSettings
        {
            File = reader.String("logging.file", "LOG_FILE") is { } f
                ? reader.ResolvePath("logging.file", f)
                : Path.Combine(configDirectory, "agent.log"),
            Level = level,
            MaxBytes = reader.Integer("logging.maxBytes", null, 10L * 1024 * 1024, 1024, 1L << 40),
            RetainedFiles = (int)reader.Integer("logging.retainedFiles", null, 5, 0, 1000),
            AuditFile = reader.String("logging.auditFile", null) is { } a
                ? reader.ResolvePath("logging.auditFile", a)
                : Path.Combine(configDirectory, "audit.log"),
        };
    }

    /// <summary>trace, debug, info, warn, error (case-insensitive), as docs/protocol.md §7 names them.</summary>
    public static bool TryParseLevel(string text, out LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(text);
        (var ok, level) = text.Trim().ToLowerInvariant() switch
        {
            "trace" => (true, LogLevel.Trace),
            "debug" => (true, LogLevel.Debug),
            "info" => (true, LogLevel.Information),
            "warn" => (true, LogLevel.Warning),
            "error" => (true, LogLevel.Error),
            _ => (false, LogLevel.None),
        };
        return ok;
    }

    private static LogLevel ParseLevel(string text, string origin) =>
        TryParseLevel(text, out var level)
            ? level
            : throw ConfigReader.Fail($"logging.level must be one of trace, debug, info, warn, error (got {ConfigReader.Quote(text)} from {origin})");

    /// <summary>An absolute http(s) URL (ws/wss too for the server, mapped to http/https), optional base path, no userinfo, query or fragment.</summary>
    private static Uri ParseHttpUrl(string key, ConfigReader.Sourced<string> value, bool allowWebSocket)
    {
        var text = value.Value.Trim();
        var schemes = allowWebSocket ? "http(s):// or ws(s)://" : "http(s)://";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https" or "ws" or "wss")
            || (!allowWebSocket && uri.Scheme is "ws" or "wss")
            || string.IsNullOrEmpty(uri.Host))
        {
            throw ConfigReader.Fail($"{key} must be an absolute {schemes} URL (got {ConfigReader.Quote(SafeUrlEcho(text))} from {value.Origin})");
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw ConfigReader.Fail($"{key} must not carry credentials, a query or a fragment (got {ConfigReader.Quote(SafeUrlEcho(text))} from {value.Origin})");
        }

        if (uri.Scheme is "ws" or "wss")
        {
            var builder = new UriBuilder(uri) { Scheme = uri.Scheme == "wss" ? "https" : "http" };
            if (uri.IsDefaultPort)
            {
                builder.Port = -1;
            }

            uri = builder.Uri;
        }

        return uri;
    }

    /// <summary>Never echo a query (it may hold a sig or token) or userinfo.</summary>
    private static string SafeUrlEcho(string text)
    {
        var cut = text.IndexOfAny(['?', '#']);
        var shown = cut >= 0 ? text[..cut] + "?…" : text;
        return ProxySettings.RedactRaw(shown);
    }
}
