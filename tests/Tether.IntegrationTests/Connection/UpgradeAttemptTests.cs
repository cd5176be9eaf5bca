using Tether.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Tether.IntegrationTests.Connection;

/// <summary>
/// docs/protocol.md §2 on the wire: whatever a broken server does, one attempt is one TCP
/// connection carrying one upgrade request with a fresh ts and sig, the failure is logged in
/// words, and the next attempt waits out the jittered backoff. (ClientWebSocket used to send the
/// same request four times per attempt to a server that closed after the request line.)
/// </summary>
public sealed class UpgradeAttemptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ServerClosingAfterTheRequestLine_GetsOneRequestPerAttempt_AndTheFailureSaysItClosedWithoutAnswering()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.CloseAfterRequestLine);
        var seen = await AttemptObservation.RunAsync(listener, $"http://127.0.0.1:{listener.Port}", "wire-close", 4, Deadline);
        Report(seen);

        seen.AssertOneRequestPerAttempt(4, "wire-close", $"127.0.0.1:{listener.Port}", "upgrade: the server closed the connection without answering");
        seen.AssertBackoffWithJitter(4);
    }

    [Fact]
    public async Task ServerAnswering502_GetsOneRequestPerAttempt_AndTheFailureQuotesTheStatusAndBody()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.BadGateway);
        var seen = await AttemptObservation.RunAsync(listener, $"http://127.0.0.1:{listener.Port}", "wire-502", 4, Deadline);
        Report(seen);

        seen.AssertOneRequestPerAttempt(4, "wire-502", $"127.0.0.1:{listener.Port}", "upgrade: server answered HTTP/1.1 502 Bad Gateway", AttemptListener.BadGatewayBody);
        seen.AssertBackoffWithJitter(4);
    }

    [Fact]
    public async Task ServerAnswering101WithAWrongAccept_GetsOneRequestPerAttempt_AndTheFailureNamesSecWebSocketAccept()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.WrongAccept);
        var seen = await AttemptObservation.RunAsync(listener, $"http://127.0.0.1:{listener.Port}", "wire-accept", 4, Deadline);
        Report(seen);

        seen.AssertOneRequestPerAttempt(4, "wire-accept", $"127.0.0.1:{listener.Port}", "upgrade: server answered 101 with a wrong Sec-WebSocket-Accept");
        seen.AssertBackoffWithJitter(4);
        foreach (var connection in seen.Connections)
        {
            // The answer really was wrong for the key of that request.
            Assert.NotEqual(AttemptConnection.AcceptFor(connection.HeaderValues("Sec-WebSocket-Key")[0]), connection.SentAccept);
        }
    }

    [Fact]
    public async Task ServerNeverAnswering_TheTenSecondUpgradeLimitEndsEachAttempt_WithOneRequestPerAttempt()
    {
        await using var listener = new AttemptListener(AttemptBehaviour.NeverAnswer);
        var seen = await AttemptObservation.RunAsync(listener, $"http://127.0.0.1:{listener.Port}", "wire-silent", 2, Deadline);
        Report(seen);

        seen.AssertOneRequestPerAttempt(2, "wire-silent", $"127.0.0.1:{listener.Port}", "upgrade: no answer from the server within 10 s");
        seen.AssertBackoffWithJitter(2);
        foreach (var connection in seen.Connections)
        {
            // The limit, not something sooner, ended it (a lower bound only).
            Assert.True(connection.ClosedAt - connection.AcceptedAt >= TimeSpan.FromSeconds(9.5), seen.Describe());
        }
    }

    private void Report(AttemptObservation seen) => output.WriteLine(seen.Summary());
}
