namespace Tether.IntegrationTests.Connection;

/// <summary>Deadlines for waiting on events: generous, because CI machines are shared; a wait ends as soon as the event arrives.</summary>
internal static class Waits
{
    public static readonly TimeSpan Event = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(45);
}
