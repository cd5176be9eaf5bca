using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.Tests.Infrastructure;
using Tether.Tests.Update;

namespace Tether.IntegrationTests.Update;

/// <summary>
/// A host in a folder: a copy of the agent under test at <c>bin/tether</c> (what an update
/// replaces), its state, log and audit files, and an operator's signing key made with openssl.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class UpdateSandbox : IDisposable
{
    private readonly TempDirectory _dir = new("tether-update-");

    public UpdateSandbox()
        : this(HigherBuild.Current, "tether", "tether.previous", null)
    {
    }

    /// <summary>A host for another build: the win-x64 file as <c>bin/tether.exe</c>, run through <paramref name="launcher"/> (wine64).</summary>
    public UpdateSandbox(string source, string binaryName, string previousName, string? launcher)
    {
        BinaryName = binaryName;
        PreviousName = previousName;
        Launcher = launcher;
        Directory.CreateDirectory(BinDirectory);
        File.Copy(source, Binary);
        File.SetUnixFileMode(Binary, (UnixFileMode)0b111_101_101);
        OriginalHash = Hash(Binary);
        Signer = new OpensslSigner(Directory.CreateDirectory(_dir.Join("keys")).FullName);
    }

    public string Root => _dir.Path;

    public string BinDirectory => _dir.Join("bin");

    public string BinaryName { get; }

    public string PreviousName { get; }

    /// <summary>Runs the binary (wine64 for the Windows file); null to run it directly.</summary>
    public string? Launcher { get; }

    public string Binary => Path.Join(BinDirectory, BinaryName);

    public string Previous => Path.Join(BinDirectory, PreviousName);

    public string StateDirectory => _dir.Join("state");

    public string ConfigPath => _dir.Join("agent-config.json");

    public string AuditPath => _dir.Join("audit.log");

    public string LogPath => _dir.Join("agent.log");

    public string OriginalHash { get; }

    public OpensslSigner Signer { get; }

    public static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The config every run here uses: these paths, this key, <paramref name="probationSec"/>.</summary>
    public JsonObject Config(JsonObject? baseConfig = null, int probationSec = 120, bool withKey = true, string? caFile = null)
    {
        var config = baseConfig ?? new JsonObject { ["clientId"] = "update-cli", ["serverUrl"] = "http://127.0.0.1:9", ["authToken"] = "update-token" };
        config["stateDir"] = StateDirectory;
        config["logging"] = new JsonObject { ["file"] = LogPath, ["auditFile"] = AuditPath };
        config["update"] = new JsonObject
        {
            ["publicKeys"] = withKey ? new JsonArray(Signer.PublicKeyPem) : new JsonArray(),
            ["probationSec"] = probationSec,
        };
        if (caFile is not null)
        {
            config["transport"] = new JsonObject { ["caFile"] = caFile };
        }

        return config;
    }

    public void WriteConfig(JsonObject config) => File.WriteAllText(ConfigPath, config.ToJsonString());

    /// <summary>A manifest for <paramref name="file"/>'s bytes (override any field), its text and openssl's signature.</summary>
    public (byte[] Manifest, byte[] Signature) Manifest(byte[] file, string version, string target = "linux-x64", DateTimeOffset? notAfter = null, long? size = null, string? sha256 = null)
    {
        var text = $$"""
            {
              "version": "{{version}}",
              "target": "{{target}}",
              "sha256": "{{sha256 ?? Convert.ToHexStringLower(SHA256.HashData(file))}}",
              "size": {{(size ?? file.Length).ToString(CultureInfo.InvariantCulture)}},
              "notAfter": "{{(notAfter ?? DateTimeOffset.UtcNow.AddDays(1)).ToString("o", CultureInfo.InvariantCulture)}}"
            }
            """;
        var manifest = Encoding.UTF8.GetBytes(text);
        return (manifest, Signer.Sign(manifest));
    }

    /// <summary><c>bin/tether update --config … --manifest … --signature … --file PATH</c>.</summary>
    public (int ExitCode, string Output) UpdateByHand(byte[] manifest, byte[] signature, string file)
    {
        string manifestPath = _dir.Join("manifest.json");
        string signaturePath = _dir.Join("manifest.sig");
        File.WriteAllBytes(manifestPath, manifest);
        File.WriteAllBytes(signaturePath, signature);
        return RunBinary(["update", "--config", ConfigPath, "--manifest", manifestPath, "--signature", signaturePath, "--file", file]);
    }

    /// <summary>Runs <c>bin/tether</c> (through the launcher, if any) with <paramref name="arguments"/> to its end.</summary>
    public (int ExitCode, string Output) RunBinary(IReadOnlyList<string> arguments) =>
        Launcher is null
            ? HigherBuild.Run(Binary, arguments, Root, TimeSpan.FromMinutes(2))
            : HigherBuild.Run(Launcher, [Binary, .. arguments], Root, TimeSpan.FromMinutes(2));

    public IReadOnlyList<JsonElement> AuditRecords(string action = "agent_update") =>
        File.Exists(AuditPath)
            ? File.ReadAllLines(AuditPath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).Where(r => r.GetProperty("action").GetString() == action).ToList()
            : [];

    public JsonObject? State() =>
        File.Exists(Path.Join(StateDirectory, "update", "state.json")) ? JsonNode.Parse(File.ReadAllText(Path.Join(StateDirectory, "update", "state.json")))!.AsObject() : null;

    public bool OnProbation => File.Exists(Path.Join(StateDirectory, "update", "probation.json"));

    /// <summary>Nothing changed: the same binary bytes, no previous copy, no temporary file left.</summary>
    public void AssertUntouched()
    {
        Assert.Equal(OriginalHash, Hash(Binary));
        Assert.False(File.Exists(Previous), "tether.previous must not exist");
        Assert.Equal([BinaryName], Directory.GetFiles(BinDirectory).Select(Path.GetFileName));
        Assert.False(OnProbation);
    }

    public void Dispose() => _dir.Dispose();
}
