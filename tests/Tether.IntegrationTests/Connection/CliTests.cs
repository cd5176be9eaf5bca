using System.Text.Json;
using System.Text.Json.Nodes;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

public sealed class CliTests
{
    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Verb = null, PassConfigPath = false, ExtraArgs = ["--version"] });
        Assert.Equal(0, await agent.WaitForExitAsync(Waits.Event));
        Assert.Matches(@"^\d+\.\d+\.\d+$", Assert.Single(agent.StandardOutputLines, l => l.Length > 0));
    }

    [Fact]
    public async Task Stats_PrintsOneSampleAsJson()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Verb = "stats", PassConfigPath = false });
        Assert.Equal(0, await agent.WaitForExitAsync(Waits.Event));
        using var doc = JsonDocument.Parse(string.Join('\n', agent.StandardOutputLines));
        Assert.InRange(doc.RootElement.GetProperty("cpu").GetDouble(), 0, 100);
        Assert.True(doc.RootElement.GetProperty("disk").GetProperty("totalBytes").GetInt64() > 0);
        Assert.Equal(Environment.ProcessorCount, doc.RootElement.GetProperty("cpuCount").GetInt32());
    }

    [Fact]
    public async Task RunService_OffWindows_ExitsTwoNamingTheFlag()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Verb = "run", PassConfigPath = false, ExtraArgs = ["--service"] });
        Assert.Equal(2, await agent.WaitForExitAsync(Waits.Event));
        Assert.Contains(agent.StandardErrorLines, l => l.Contains("--service is only for the Windows Service Control Manager", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_AgainstAWorkingServer_PassesEveryStep()
    {
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        var config = peer.CreateAgentConfig("checker");
        config["transport"] = new JsonObject { ["caFile"] = certs.CaPemPath };
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = config, Verb = "check" });

        Assert.Equal(0, await agent.WaitForExitAsync(Waits.Event));
        string output = string.Join('\n', agent.StandardOutputLines);
        foreach (string step in new[] { "config", "resolve", "tcp", "tls", "clock", "handshake" })
        {
            Assert.Matches($@"(?m)^PASS\s+{step}\b", output);
        }

        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithAWrongToken_FailsTheHandshake_NamingTheToken()
    {
        await using var peer = await PeerServer.StartAsync();
        var config = peer.CreateAgentConfig("checker-bad");
        config["authToken"] = "wrong";
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = config, Verb = "check" });

        Assert.Equal(1, await agent.WaitForExitAsync(Waits.Event));
        Assert.Matches(@"(?m)^FAIL\s+handshake .*invalid signature.*bad authToken", string.Join('\n', agent.StandardOutputLines));
    }

    [Fact]
    public async Task Check_WithAnUntrustedCertificate_FailsTls()
    {
        using var certs = TestCertificates.Create();
        await using var peer = await PeerServer.StartAsync(certs.ApplyTo(new PeerOptions()));
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = peer.CreateAgentConfig("checker-tls"), Verb = "check" });

        Assert.Equal(1, await agent.WaitForExitAsync(Waits.Event));
        Assert.Matches(@"(?m)^FAIL\s+tls\s+untrusted certificate", string.Join('\n', agent.StandardOutputLines));
    }

    [Fact]
    public async Task Check_WithABadConfig_ExitsTwo()
    {
        await using var agent = await AgentProcess.StartAsync(new AgentOptions { Config = new JsonObject { ["clientId"] = "x" }, Verb = "check" });
        Assert.Equal(2, await agent.WaitForExitAsync(Waits.Event));
        Assert.Contains("FAIL", string.Join('\n', agent.StandardOutputLines), StringComparison.Ordinal);
    }
}
