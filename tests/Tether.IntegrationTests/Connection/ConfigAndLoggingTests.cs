using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class ConfigAndLoggingTests
{
    [Fact]
    public async Task MissingAuthToken_ExitsWithCode2_NamingTheKey()
    {
        var config = new JsonObject { ["clientId"] = "no-token", ["serverUrl"] = "http://127.0.0.1:9" };
        await using var agent = await AgentProcess.StartAsync(config);

        Assert.Equal(2, await agent.WaitForExitAsync(Waits.Event));
        string stderr = string.Join('\n', agent.StandardErrorLines);
        Assert.Contains("authToken", stderr, StringComparison.Ordinal);
        Assert.Contains(agent.ReadLogRecords(), r => r.GetProperty("level").GetString() == "error" && HandshakeTests.Message(r).Contains("authToken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadValue_ExitsWithCode2_NamingTheKey()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("bad-interval");
        config["statsIntervalSec"] = "often";
        await using var agent = await AgentProcess.StartAsync(config);
        Assert.Equal(2, await agent.WaitForExitAsync(Waits.Event));
        Assert.Contains("statsIntervalSec", string.Join('\n', agent.StandardErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain(peer.Records, r => r.Kind == "connect");
    }

    [Fact]
    public async Task AnAllowlistEntryThatDoesNotParse_ExitsWithCode2_NamingTheKey()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("bad-allowlist");
        config["admin"] = new JsonObject { ["allowedCommands"] = new JsonArray("ls -la", "echo 'unterminated") };
        await using var agent = await AgentProcess.StartAsync(config);
        Assert.Equal(2, await agent.WaitForExitAsync(Waits.Event));
        Assert.Contains("admin.allowedCommands", string.Join('\n', agent.StandardErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain(peer.Records, r => r.Kind == "connect");
    }

    [Fact]
    public async Task EnvironmentOverridesTheFile_AndUnknownKeysAreWarned()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("from-file");
        config["statsIntervalSecs"] = 5; // a typo must not pass silently
        await using var agent = await AgentProcess.StartAsync(new AgentOptions
        {
            Config = config,
            Environment = new Dictionary<string, string?> { ["CLIENT_ID"] = "from-env" },
        });

        var connect = await peer.WaitForAsync("connect", null, Waits.Event);
        Assert.Equal("from-env", connect.ClientId);
        await agent.WaitForLogAsync(r => r.GetProperty("level").GetString() == "warn" && HandshakeTests.Message(r).Contains("statsIntervalSecs", StringComparison.Ordinal), Waits.Event);
    }

    [Fact]
    public async Task LogFile_IsJsonLines_WithoutTheTokenOrAnySignature()
    {
        const string token = "S3cret-Token-Never-Logged-42";
        await using var peer = await PeerServer.StartAsync(new PeerOptions { Token = token });
        var config = peer.CreateAgentConfig("log-check");
        config["statsIntervalSec"] = 1;
        config["logging"] = new JsonObject { ["level"] = "debug" };
        await using var agent = await AgentProcess.StartAsync(config);
        await peer.WaitForEventsAsync("stats", 2, Waits.Event);
        await peer.DisconnectClientsAsync(); // a reconnect adds a second signature to look for
        await peer.WaitForCountAsync("connect", 2, null, Waits.Reconnect);
        await peer.WaitForEventAsync("stats", Waits.Event, null, peer.Records.Last(r => r.Kind == "connect").Index);

        var lines = agent.ReadLogLines();
        Assert.NotEmpty(lines);
        foreach (string line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("time").ValueKind);
            Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("level").ValueKind);
            Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("message").ValueKind);
        }

        string all = string.Join('\n', lines) + string.Join('\n', agent.StandardErrorLines) + string.Join('\n', agent.StandardOutputLines);
        Assert.DoesNotContain(token, all, StringComparison.Ordinal);
        foreach (var connect in peer.Records.Where(r => r.Kind == "connect"))
        {
            string sig = connect.Json.GetProperty("query").GetProperty("sig").GetString()!;
            Assert.DoesNotContain(sig, all, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("sig=", all, StringComparison.Ordinal);
    }
}
