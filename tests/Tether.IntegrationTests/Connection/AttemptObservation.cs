using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Connection;

/// <summary>
/// An agent run against an <see cref="AttemptListener"/> until it has failed a given number of
/// attempts, seen from both ends: the agent's log (one "connecting … (attempt n)", one
/// "connection attempt failed" and one "reconnecting in" per attempt, AgentConnection.Log.cs)
/// and the connections the listener saw. Checks shared by the tests of docs/protocol.md §2.
/// </summary>
internal sealed partial record AttemptObservation(IReadOnlyList<AttemptConnection> Connections, IReadOnlyList<JsonElement> Log, string AgentDescription, string ListenerDescription)
{
    public const string Token = "wire-test-token";

    /// <summary>The "attempt" numbers of the "connecting to …" records, in order.</summary>
    public IReadOnlyList<int> AttemptsLogged =>
        [.. Messages("connecting to ").Select(r => r.GetProperty("fields").GetProperty("Attempt").GetInt32())];

    /// <summary>The messages of the "connection attempt failed: …" records, in order.</summary>
    public IReadOnlyList<string> Failures => [.. Messages("connection attempt failed: ").Select(HandshakeTests.Message)];

    /// <summary>The DelaySeconds of the "reconnecting in" records, in order.</summary>
    public IReadOnlyList<double> Delays =>
        [.. Messages("reconnecting in").Select(r => r.GetProperty("fields").GetProperty("DelaySeconds").GetDouble())];

    /// <summary>Counts, delays, gaps and failure texts, for the test output.</summary>
    public string Summary()
    {
        var nl = Environment.NewLine;
        var gaps = Connections.Skip(1).Select((c, i) => (c.AcceptedAt - Connections[i].ClosedAt).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
        return $"connections: {Connections.Count} (from {string.Join(", ", Connections.Select(c => c.Remote.Address).Distinct())}); "
            + $"request lines per connection: [{string.Join(", ", Connections.Select(c => c.RequestLines.Count))}]; "
            + $"attempts logged: [{string.Join(", ", AttemptsLogged)}]{nl}"
            + $"delays (s): [{string.Join(", ", Delays.Select(d => d.ToString("0.000", CultureInfo.InvariantCulture)))}]; "
            + $"gaps from a connection's end to the next accept (ms): [{string.Join(", ", gaps)}]{nl}"
            + string.Join(nl, Failures.Distinct().Select(f => "failure: " + f));
    }

    public string Describe() => $"{ListenerDescription}{Environment.NewLine}{AgentDescription}";

    /// <summary>
    /// Starts the agent against <paramref name="serverUrl"/>, waits until it has logged
    /// <paramref name="attempts"/> reconnect delays, kills it while it waits out the last one
    /// (so no attempt is half made), then collects every connection the listener accepted.
    /// </summary>
    public static async Task<AttemptObservation> RunAsync(AttemptListener listener, string serverUrl, string clientId, int attempts, TimeSpan deadline)
    {
        var config = new JsonObject { ["clientId"] = clientId, ["serverUrl"] = serverUrl, ["authToken"] = Token };
        IReadOnlyList<JsonElement> log;
        string agentDescription;
        await using (var agent = await AgentProcess.StartAsync(config))
        {
            bool reached = await Poll.UntilAsync(
                () => agent.HasExited || CountMessages(agent.ReadLogRecords(), "reconnecting in") >= attempts,
                deadline);
            Assert.True(reached && !agent.HasExited, $"The agent did not log {attempts} reconnect delays within {deadline.TotalSeconds:0} s.{Environment.NewLine}{agent.Describe(60)}{Environment.NewLine}{listener.Describe()}");

            // It now sleeps at least half a second before the next attempt.
            agent.SendSignal(UnixSignals.SIGKILL);
            await agent.WaitForExitAsync(Waits.Event);
            log = agent.ReadLogRecords();
            agentDescription = agent.Describe(80);
        }

        await listener.DrainAcceptQueueAsync(Waits.Event);
        IReadOnlyList<AttemptConnection> connections = listener.AcceptedCount == 0
            ? []
            : await listener.WaitForCompletedAsync(listener.AcceptedCount, Waits.Event);
        return new AttemptObservation(connections, log, agentDescription, listener.Describe());
    }

    /// <summary>
    /// Each logged attempt made exactly one TCP connection, which carried exactly one upgrade
    /// request of docs/protocol.md §2 with its own ts, sig and key, and each failure was logged
    /// with <paramref name="cause"/>.
    /// </summary>
    public void AssertOneRequestPerAttempt(int attempts, string clientId, string host, params string[] cause)
    {
        string context = Environment.NewLine + Describe();
        Assert.True(AttemptsLogged.SequenceEqual(Enumerable.Range(1, attempts)), $"attempts logged: [{string.Join(", ", AttemptsLogged)}], expected 1..{attempts}.{context}");
        Assert.True(Connections.Count == attempts, $"{Connections.Count} connections for {attempts} attempts.{context}");
        foreach (var connection in Connections)
        {
            Assert.True(connection.RequestLines.Count == 1, $"connection #{connection.Index} carried {connection.RequestLines.Count} request lines.{context}");
            AssertUpgradeRequest(connection, clientId, host, context);
        }

        Assert.Equal(attempts, Connections.Select(c => c.Query["ts"]).Distinct().Count());
        Assert.Equal(attempts, Connections.Select(c => c.Query["sig"]).Distinct().Count());
        Assert.Equal(attempts, Connections.Select(c => c.HeaderValues("Sec-WebSocket-Key")[0]).Distinct().Count());
        var timestamps = Connections.Select(c => long.Parse(c.Query["ts"], CultureInfo.InvariantCulture)).ToList();
        Assert.True(timestamps.Zip(timestamps.Skip(1)).All(p => p.First < p.Second), $"ts not increasing: {string.Join(", ", timestamps)}");

        // docs/style.md "Command env is not logged": nor is a signature.
        string logText = string.Join('\n', Log.Select(r => r.GetRawText()));
        foreach (var connection in Connections)
        {
            Assert.DoesNotContain(connection.Query["sig"], logText, StringComparison.Ordinal);
        }

        Assert.True(Failures.Count == attempts, $"{Failures.Count} failures logged for {attempts} attempts.{context}");
        foreach (string failure in Failures)
        {
            foreach (string words in cause)
            {
                Assert.Contains(words, failure, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// Delay n lies in [0.5, 1.5) × 2^(n-1) s (capped at 30 s), and the listener saw no new
    /// connection sooner than that after the previous one ended (100 ms for scheduling and GC pauses; a lower
    /// bound only).
    /// </summary>
    public void AssertBackoffWithJitter(int attempts)
    {
        string context = Environment.NewLine + Describe();
        Assert.True(Delays.Count == attempts, $"{Delays.Count} delays logged for {attempts} attempts.{context}");
        for (int n = 0; n < attempts; n++)
        {
            double baseSeconds = Math.Min(Math.Pow(2, n), 30);
            Assert.True(Delays[n] >= 0.5 * baseSeconds && Delays[n] < Math.Min(1.5 * baseSeconds, 30 + 1e-9), $"delay {n + 1} is {Delays[n]} s; base {baseSeconds} s.{context}");
        }

        for (int n = 1; n < Connections.Count; n++)
        {
            TimeSpan gap = Connections[n].AcceptedAt - Connections[n - 1].ClosedAt;
            TimeSpan least = TimeSpan.FromSeconds(Delays[n - 1]) - TimeSpan.FromMilliseconds(100);
            Assert.True(gap >= least, $"connection #{n} came {gap.TotalMilliseconds:0} ms after #{n - 1} ended; the agent logged a delay of {Delays[n - 1]} s.{context}");
        }
    }

    private static void AssertUpgradeRequest(AttemptConnection c, string clientId, string host, string context)
    {
        Assert.True(RequestLinePattern().IsMatch(c.RequestLine), $"request line of #{c.Index} is not the engine.io upgrade of docs/protocol.md §2.{context}");
        Assert.Equal("/socket.io/", c.Path);
        Assert.Equal("4", c.Query["EIO"]);
        Assert.Equal("websocket", c.Query["transport"]);
        Assert.Equal(clientId, c.Query["clientId"]);
        Assert.Equal(ExpectedSig(clientId, long.Parse(c.Query["ts"], CultureInfo.InvariantCulture)), c.Query["sig"]);

        Assert.Equal([host], c.HeaderValues("Host"));
        Assert.Equal(["websocket"], c.HeaderValues("Upgrade"));
        Assert.Equal(["Upgrade"], c.HeaderValues("Connection"));
        Assert.Equal(["13"], c.HeaderValues("Sec-WebSocket-Version"));
        string key = Assert.Single(c.HeaderValues("Sec-WebSocket-Key"));
        Assert.Equal(16, Convert.FromBase64String(key).Length);
        string agent = Assert.Single(c.HeaderValues("User-Agent"));
        Assert.Matches(@"^tether/\S+$", agent);
    }

    // docs/protocol.md §2: hex HMAC-SHA256(authToken, JSON.stringify({clientId, ts})); the test ids are plain ASCII.
    private static string ExpectedSig(string clientId, long ts) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Token), Encoding.UTF8.GetBytes($"{{\"clientId\":\"{clientId}\",\"ts\":{ts.ToString(CultureInfo.InvariantCulture)}}}")));

    private IEnumerable<JsonElement> Messages(string prefix) =>
        Log.Where(r => HandshakeTests.Message(r).StartsWith(prefix, StringComparison.Ordinal));

    private static int CountMessages(IReadOnlyList<JsonElement> log, string prefix) =>
        log.Count(r => HandshakeTests.Message(r).StartsWith(prefix, StringComparison.Ordinal));

    [GeneratedRegex(@"^GET /socket\.io/\?EIO=4&transport=websocket&clientId=[^&\s]+&ts=\d+&sig=[0-9a-f]{64} HTTP/1\.1$")]
    private static partial Regex RequestLinePattern();
}
