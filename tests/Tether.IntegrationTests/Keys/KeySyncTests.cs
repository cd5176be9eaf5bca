using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Connection;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Keys;

/// <summary>docs/protocol.md §6 end to end: the real agent fetches from a local HTTPS server with its own CA.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KeySyncTests
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0700 = Mode0600 | UnixFileMode.UserExecute;

    [Fact]
    public async Task Sync_AddsNewKeys_DropsDuplicateAndGarbage_KeepsExistingBytes_SecondSyncAddsNothing()
    {
        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        using var home = new TempDirectory("tether-keys-");
        var ssh = home.Join(".ssh");
        Directory.CreateDirectory(ssh);
        File.SetUnixFileMode(ssh, Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var file = Path.Combine(ssh, "authorized_keys");
        var existingKey = KeyMaterial.Ed25519(1, "old@host");
        var existing = Encoding.UTF8.GetBytes("# managed by hand\r\nno-pty,command=\"echo a b\" " + existingKey + "\n\n# last line without newline");
        await File.WriteAllBytesAsync(file, existing);
        File.SetUnixFileMode(file, Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var newRsa = KeyMaterial.Rsa(2);
        var newEcdsa = KeyMaterial.Ecdsa256(3);
        keys.Routes["/octocat.keys"] = new(200, string.Join('\n', KeyMaterial.Ed25519(1), newRsa, "this is not a key", newEcdsa) + "\n");

        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(Config(peer, "keys", keys, certs, file));
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "keys");

        var first = await SyncAsync(peer, "keys", "octocat");
        Assert.True(first.GetProperty("ok").GetBoolean(), first.ToString());
        Assert.Equal("octocat", first.GetProperty("user").GetString());
        Assert.Equal(2, first.GetProperty("added").GetInt32());
        Assert.True(first.GetProperty("ms").GetInt64() >= 0);

        var expected = existing.Concat(Encoding.UTF8.GetBytes("\n" + newRsa + "\n" + newEcdsa + "\n")).ToArray();
        Assert.Equal(expected, await File.ReadAllBytesAsync(file));
        Assert.Equal(Mode0600, File.GetUnixFileMode(file));
        Assert.Equal(Mode0700, File.GetUnixFileMode(ssh));
        Assert.Single(Directory.GetFiles(ssh));

        var from = peer.RecordCount;
        var second = await SyncAsync(peer, "keys", "octocat", from);
        Assert.True(second.GetProperty("ok").GetBoolean());
        Assert.Equal(0, second.GetProperty("added").GetInt32());
        Assert.Equal(expected, await File.ReadAllBytesAsync(file));

        var audit = agent.ReadAuditRecords().Where(r => r.GetProperty("action").GetString() == "sync_keys").ToList();
        Assert.Equal(2, audit.Count);
        Assert.Equal(2, audit[0].GetProperty("added").GetInt32());
        Assert.Equal(0, audit[1].GetProperty("added").GetInt32());
        var auditText = string.Join('\n', agent.ReadAuditLines());
        var logText = string.Join('\n', agent.ReadLogLines());
        foreach (var blob in new[] { newRsa, newEcdsa, existingKey }.Select(k => k.Split(' ')[1]))
        {
            Assert.DoesNotContain(blob[..40], auditText, StringComparison.Ordinal);
            Assert.DoesNotContain(blob[..40], logText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sync_MissingSshDirectory_IsCreated0700_File0600()
    {
        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        using var home = new TempDirectory("tether-keys-");
        var file = home.Join(".ssh", "authorized_keys");
        keys.Routes["/new-user.keys"] = new(200, KeyMaterial.Ed25519(7) + "\n");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(Config(peer, "fresh", keys, certs, file));
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "fresh");

        var result = await SyncAsync(peer, "fresh", "new-user");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(1, result.GetProperty("added").GetInt32());
        Assert.Equal(KeyMaterial.Ed25519(7) + "\n", await File.ReadAllTextAsync(file));
        Assert.Equal(Mode0600, File.GetUnixFileMode(file));
        Assert.Equal(Mode0700, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
    }

    [Fact]
    public async Task InvalidUsers_RefusedWithoutAnyRequest()
    {
        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        using var home = new TempDirectory("tether-keys-");
        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(Config(peer, "badusers", keys, certs, home.Join(".ssh", "authorized_keys")));
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "badusers");

        string[] users = ["../etc", "a b", new string('a', 40), ""];
        foreach (var user in users)
        {
            await peer.EmitAsync("sync_keys", new JsonObject { ["user"] = user }, "badusers");
        }

        await peer.EmitAsync("sync_keys", new JsonObject { ["user"] = 42 }, "badusers");
        var results = await peer.WaitForEventsAsync("keys_sync_result", users.Length + 1, Waits.Event);
        foreach (var r in results)
        {
            Assert.False(r.Payload.GetProperty("ok").GetBoolean());
            Assert.Equal(0, r.Payload.GetProperty("added").GetInt32());
            Assert.False(string.IsNullOrEmpty(r.Payload.GetProperty("error").GetString()));
        }

        Assert.Empty(keys.Requests);
        Assert.False(Directory.Exists(home.Join(".ssh")));
        Assert.Equal(users.Length + 1, agent.ReadAuditRecords().Count(r => r.GetProperty("action").GetString() == "sync_keys" && r.GetProperty("outcome").GetString() == "refused"));
    }

    [Fact]
    public async Task KeySyncDisabledInTheConfig_AValidUserIsRefused_NothingFetchedOrWritten_AndTheRefusalIsAudited()
    {
        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        keys.Routes["/octocat.keys"] = new(200, KeyMaterial.Ed25519(9) + "\n");
        using var home = new TempDirectory("tether-keys-");
        var ssh = home.Join(".ssh");
        Directory.CreateDirectory(ssh);
        var file = Path.Combine(ssh, "authorized_keys");
        var existing = Encoding.UTF8.GetBytes(KeyMaterial.Ed25519(1, "admin@host") + "\n");
        await File.WriteAllBytesAsync(file, existing);
        await using var peer = await PeerServer.StartAsync();
        var config = Config(peer, "nokeys", keys, certs, file);
        config["keys"]!["enabled"] = false;
        await using var agent = await AgentProcess.StartAsync(config);
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "nokeys");

        var result = await SyncAsync(peer, "nokeys", "octocat");

        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("octocat", result.GetProperty("user").GetString());
        Assert.Equal(0, result.GetProperty("added").GetInt32());
        Assert.Contains("keys.enabled is false", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(keys.Requests);
        Assert.Equal(existing, await File.ReadAllBytesAsync(file));
        Assert.Single(Directory.GetFiles(ssh));
        var audit = Assert.Single(agent.ReadAuditRecords(), r => r.GetProperty("action").GetString() == "sync_keys");
        Assert.Equal("refused", audit.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ServerStalls404s500sOrSendsFiveMegabytes_OkFalseWithAClearError_FileUntouched()
    {
        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        using var home = new TempDirectory("tether-keys-");
        var ssh = Directory.CreateDirectory(home.Join(".ssh")).FullName;
        var file = Path.Combine(ssh, "authorized_keys");
        var existing = Encoding.UTF8.GetBytes(KeyMaterial.Ed25519(1) + "\n");
        await File.WriteAllBytesAsync(file, existing);
        var huge = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(KeyMaterial.Ed25519(9) + "\n", 5_000_000 / 82)));
        keys.Routes["/stall.keys"] = new(200, [], Stall: true);
        keys.Routes["/broken.keys"] = new(500, "boom\n");
        keys.Routes["/huge.keys"] = new(200, huge, OmitContentLength: true);
        keys.Routes["/declared.keys"] = new(200, huge);

        await using var peer = await PeerServer.StartAsync();
        await using var agent = await AgentProcess.StartAsync(Config(peer, "fail", keys, certs, file));
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "fail");

        var expectations = new Dictionary<string, string>
        {
            ["stall"] = "did not answer within 15 s",
            ["missing"] = "HTTP 404",
            ["broken"] = "HTTP 500",
            ["huge"] = "larger than 1048576 bytes",
            ["declared"] = "larger than 1048576 bytes",
        };
        foreach (var user in expectations.Keys)
        {
            await peer.EmitAsync("sync_keys", new JsonObject { ["user"] = user }, "fail");
        }

        foreach (var (user, error) in expectations)
        {
            var result = (await peer.WaitForEventAsync("keys_sync_result", TimeSpan.FromSeconds(40), r => r.Payload.GetProperty("user").GetString() == user)).Payload;
            Assert.False(result.GetProperty("ok").GetBoolean(), user);
            Assert.Equal(0, result.GetProperty("added").GetInt32());
            Assert.Contains(error, result.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(existing, await File.ReadAllBytesAsync(file));
        Assert.Single(Directory.GetFiles(ssh));
        Assert.Equal(5, agent.ReadAuditRecords().Count(r => r.GetProperty("action").GetString() == "sync_keys" && r.GetProperty("outcome").GetString() == "failed"));
    }

    [Fact]
    public async Task AgentKilledDuringSyncs_FileIsAlwaysTheOldOrTheNewContent_NeverPartial()
    {
        using var certs = TestCertificates.Create();
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        using var home = new TempDirectory("tether-keys-");
        var ssh = Directory.CreateDirectory(home.Join(".ssh")).FullName;
        var file = Path.Combine(ssh, "authorized_keys");
        var old = Encoding.UTF8.GetBytes("# before\n" + KeyMaterial.Ed25519(1) + "\n");
        var fetched = string.Concat(Enumerable.Range(100, 9_000).Select(i => KeyMaterial.Ed25519(i) + "\n"));
        var complete = old.Concat(Encoding.UTF8.GetBytes(fetched)).ToArray();
        keys.Routes["/many.keys"] = new(200, fetched);
        await using var peer = await PeerServer.StartAsync();
        var random = new Random(5);
        var sawComplete = false;
        for (var round = 0; round < 6; round++)
        {
            await File.WriteAllBytesAsync(file, old);
            var from = peer.RecordCount;
            await using (var agent = await AgentProcess.StartAsync(Config(peer, "kill" + round, keys, certs, file)))
            {
                await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "kill" + round, from);
                var requests = keys.Requests.Count;
                await peer.EmitAsync("sync_keys", new JsonObject { ["user"] = "many" }, "kill" + round);
                while (keys.Requests.Count == requests)
                {
                    await Task.Delay(1);
                }

                // Kill somewhere between the fetch and shortly after the rename.
                await Task.Delay(random.Next(0, 60));
                agent.SendSignal(UnixSignals.SIGKILL);
                await agent.WaitForExitAsync(TimeSpan.FromSeconds(5));
            }

            var now = await File.ReadAllBytesAsync(file);
            sawComplete |= now.AsSpan().SequenceEqual(complete);
            Assert.True(now.AsSpan().SequenceEqual(old) || now.AsSpan().SequenceEqual(complete), $"round {round}: {now.Length} bytes, neither old ({old.Length}) nor new ({complete.Length})");
            if (now.AsSpan().SequenceEqual(complete))
            {
                Assert.Equal(Mode0600, File.GetUnixFileMode(file));
            }
        }

        // A finished sync removes the temporaries a killed one left behind.
        await File.WriteAllBytesAsync(file, old);
        await using (var last = await AgentProcess.StartAsync(Config(peer, "after", keys, certs, file)))
        {
            await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "after");
            var result = await SyncAsync(peer, "after", "many");
            Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        }

        Assert.Equal(complete, await File.ReadAllBytesAsync(file));
        Assert.Equal([file], Directory.GetFiles(ssh));
        _ = sawComplete;
    }

    [Fact]
    public async Task Sync_ThroughAnHttpsProxy_TunnelsByNameWithTlsEndToEnd()
    {
        using var certs = TestCertificates.Create(dnsNames: ["keys.tether.test"]);
        await using var keys = KeysHttpsServer.Start(certs.ServerCertPemPath, certs.ServerKeyPemPath);
        await using var proxy = new ConnectProxy(new Dictionary<string, IPAddress> { ["keys.tether.test"] = IPAddress.Loopback });
        using var home = new TempDirectory("tether-keys-");
        var file = home.Join(".ssh", "authorized_keys");
        keys.Routes["/proxied.keys"] = new(200, KeyMaterial.Ed25519(11) + "\n");
        await using var peer = await PeerServer.StartAsync();
        var config = Config(peer, "proxied", keys, certs, file);
        config["keys"]!["baseUrl"] = $"https://keys.tether.test:{keys.Port}";
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = config,
            Environment = new Dictionary<string, string?> { ["HTTPS_PROXY"] = proxy.Url },
        });
        await peer.WaitForEventAsync("stats", Waits.Event, r => r.ClientId == "proxied");

        var result = await SyncAsync(peer, "proxied", "proxied");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(1, result.GetProperty("added").GetInt32());
        Assert.Equal($"keys.tether.test:{keys.Port}", Assert.Single(proxy.Targets));
    }

    private static JsonObject Config(PeerServer peer, string clientId, KeysHttpsServer keys, TestCertificates certs, string authorizedKeysFile)
    {
        var config = peer.CreateAgentConfig(clientId);
        config["keys"] = new JsonObject { ["baseUrl"] = keys.BaseUrl, ["authorizedKeysFile"] = authorizedKeysFile };
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        return config;
    }

    private static async Task<JsonElement> SyncAsync(PeerServer peer, string clientId, string user, int fromIndex = 0)
    {
        await peer.EmitAsync("sync_keys", new JsonObject { ["user"] = user }, clientId);
        return (await peer.WaitForEventAsync("keys_sync_result", Waits.Event, r => r.ClientId == clientId, fromIndex)).Payload;
    }
}
