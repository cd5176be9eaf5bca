namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// One peer shared by the tests of a class (<c>IClassFixture&lt;PeerFixture&gt;</c>). Tests
/// share its records, so each should use its own clientId and match on it, and take
/// <see cref="PeerServer.RecordCount"/> as <c>fromIndex</c> when only later records count.
/// Tests that stop, suspend or reconfigure the peer should start their own instead.
/// </summary>
public sealed class PeerFixture : IAsyncLifetime
{
    private PeerServer? _peer;

    public PeerServer Peer => _peer ?? throw new InvalidOperationException("The peer fixture has not started.");

    public async Task InitializeAsync() => _peer = await PeerServer.StartAsync(new PeerOptions());

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }
}
