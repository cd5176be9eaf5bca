using Tether.Install;

namespace Tether.Tests.Install;

public sealed class PasswdFileTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\r\nbroken line\nmon:x:12:x::/:/bin/sh\nmonitor:x:4321:4322::/nonexistent:/usr/sbin/nologin\n";

    [Fact]
    public void TryFind_ReadsUidAndGid_OfTheExactName()
    {
        Assert.True(PasswdFile.TryFind(Passwd, "monitor", out uint uid, out uint gid));
        Assert.Equal((4321u, 4322u), (uid, gid));
        Assert.True(PasswdFile.TryFind(Passwd, "root", out uid, out gid));
        Assert.Equal((0u, 0u), (uid, gid));
    }

    [Theory]
    [InlineData("mon")] // a gid that is no number
    [InlineData("monito")]
    [InlineData("nobody")]
    public void TryFind_MissesNamesItCannotRead(string name) =>
        Assert.False(PasswdFile.TryFind(Passwd, name, out _, out _));
}
