using Tether.Transport;

namespace Tether.Tests.Infrastructure;

/// <summary>
/// A connection whose <c>hello_ack</c> and loss the test raises by hand. Raising an event also
/// sets <see cref="IsReady"/> to match, as the real connection loop does.
/// </summary>
internal sealed class FakeConnection(bool isReady = false) : IConnectionStatus
{
    public event Action? Ready;

    public event Action? Lost;

    public bool IsReady { get; set; } = isReady;

    /// <summary>A <c>hello_ack</c> arrived.</summary>
    public void RaiseReady()
    {
        IsReady = true;
        Ready?.Invoke();
    }

    /// <summary>The established connection is gone.</summary>
    public void RaiseLost()
    {
        IsReady = false;
        Lost?.Invoke();
    }
}
