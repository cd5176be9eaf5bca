using Tether.Platform.ServiceHost;

namespace Tether.Tests.Platform.ServiceHost;

public sealed class SystemdMessagesTests
{
    [Fact]
    public void Ready_IsReadyThenStatusNamingTheServer()
    {
        Assert.Equal("READY=1\nSTATUS=connected to dash.example.com:8443", SystemdMessages.Ready("dash.example.com:8443"));
    }

    [Fact]
    public void Connected_Connecting_Reconnecting_AreStatusOnly()
    {
        Assert.Equal("STATUS=connected to h", SystemdMessages.Connected("h"));
        Assert.Equal("STATUS=connecting to h", SystemdMessages.Connecting("h"));
        Assert.Equal("STATUS=reconnecting to h (connection lost)", SystemdMessages.Reconnecting("h"));
    }

    [Fact]
    public void ReadyWithoutConnection_SaysItIsNotConnected()
    {
        Assert.Equal("READY=1\nSTATUS=not connected to h after 30 s; still trying", SystemdMessages.ReadyWithoutConnection("h", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void StoppingAndWatchdog_AreTheSdNotifyKeywords()
    {
        Assert.Equal("STOPPING=1\nSTATUS=stopping", SystemdMessages.Stopping);
        Assert.Equal("WATCHDOG=1", SystemdMessages.Watchdog);
    }

    [Fact]
    public void Status_LineBreaksInTheText_DoNotStartANewAssignment()
    {
        Assert.Equal("STATUS=connecting to a READY=1", SystemdMessages.Connecting("a\nREADY=1"));
    }
}
