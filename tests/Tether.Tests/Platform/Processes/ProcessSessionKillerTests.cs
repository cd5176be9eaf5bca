using Tether.Platform.Common;
using Tether.Platform.Processes;
using Tether.Platform.Pty;

namespace Tether.Tests.Platform.Processes;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessSessionKillerTests
{
    [Theory]
    [InlineData("1234 (bash) S 1000 1234 1234 34816 1234 4194560", 'S', 1234)]
    [InlineData("77 (a) b) (c) R 1 70 71 0 -1", 'R', 71)]
    [InlineData("9 (sleep) Z 8 9 5 0", 'Z', 5)]
    public void TryParseSessionId_ReadsField6_AfterTheLastParenthesis(string stat, char state, int session)
    {
        Assert.True(ProcessSessionKiller.TryParseSessionId(stat, out var s, out var sid));
        Assert.Equal(state, s);
        Assert.Equal(session, sid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 (x")]
    [InlineData("12 (x) S 1 2")]
    public void TryParseSessionId_Garbage_IsFalse(string stat) =>
        Assert.False(ProcessSessionKiller.TryParseSessionId(stat, out _, out _));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-5)]
    public void Signal_RefusesSessionIdsThatAreNotATerminalSession(int sid)
    {
        var killer = new ProcessSessionKiller(UnixPlatform.Current);
        Assert.Throws<ArgumentOutOfRangeException>(() => killer.Signal(sid, PtySignal.Kill));
        Assert.Throws<ArgumentOutOfRangeException>(() => killer.Count(sid));
    }

    [Fact]
    public void SessionMembers_FindsThisProcessesOwnSession()
    {
        var self = ProcFs.StatText(Environment.ProcessId)!;
        Assert.True(ProcessSessionKiller.TryParseSessionId(self, out _, out var sid));
        if (sid > 1)
        {
            Assert.Contains(Environment.ProcessId, ProcessSessionKiller.SessionMembers(sid));
        }
    }
}
