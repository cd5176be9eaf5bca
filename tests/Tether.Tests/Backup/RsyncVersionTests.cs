using Tether.Backup;

namespace Tether.Tests.Backup;

public sealed class RsyncVersionTests
{
    [Theory]
    [InlineData("rsync  version 3.2.7  protocol version 31\nCopyright (C) 1996-2022 by Andrew Tridgell, Wayne Davison, and others.", "3.2.7")]
    [InlineData("rsync  version v3.2.3  protocol version 31\n", "3.2.3")]
    [InlineData("rsync  version 3.4.1  protocol version 32\n", "3.4.1")]
    [InlineData("rsync  version 3.1.3  protocol version 31\n", "3.1.3")]
    [InlineData("rsync  version 2.6.9  protocol version 29\n", "2.6.9")]
    [InlineData("rsync version 3.3  protocol version 31\n", "3.3.0")]
    public void TryParse_ReadsTheVersionOfTheFirstLine(string output, string expected)
    {
        Assert.True(RsyncVersion.TryParse(output, out var version));
        Assert.Equal(Version.Parse(expected), version);
    }

    [Theory]
    [InlineData("openrsync: protocol version 29\nrsync version 2.6.9 compatible\n")]
    [InlineData("")]
    [InlineData("rsync: unknown option\n")]
    [InlineData("  rsync  version 3.2.7\n")]
    [InlineData("rsync  version 99999.1.1\n")]
    public void TryParse_RefusesWhatIsNotAnRsyncVersionLine(string output) =>
        Assert.False(RsyncVersion.TryParse(output, out _));

    [Theory]
    [InlineData("rsync  version 3.2.3  protocol version 31\n")]
    [InlineData("rsync  version 3.2.7  protocol version 31\n")]
    [InlineData("rsync  version 3.4.1  protocol version 32\n")]
    public void Check_AcceptsRsync323AndNewer(string output) =>
        Assert.Null(RsyncVersion.Check("/usr/bin/rsync", output));

    [Theory]
    [InlineData("rsync  version 3.2.2  protocol version 31\n", "/usr/bin/rsync is 3.2.2")]
    [InlineData("rsync  version 3.1.3  protocol version 31\n", "/usr/bin/rsync is 3.1.3")]
    [InlineData("rsync  version 2.6.9  protocol version 29\n", "/usr/bin/rsync is 2.6.9")]
    [InlineData("openrsync: protocol version 29\nrsync version 2.6.9 compatible\n", "/usr/bin/rsync is openrsync")]
    [InlineData("garbage", "/usr/bin/rsync --version did not name a version")]
    public void Check_RefusesOlderOrUnknownRsync_NamingWhatWasFound(string output, string found)
    {
        string? error = RsyncVersion.Check("/usr/bin/rsync", output);
        Assert.NotNull(error);
        Assert.StartsWith("remote backups need rsync 3.2.3 or newer (--mkpath, --info=progress2); ", error, StringComparison.Ordinal);
        Assert.Contains(found, error, StringComparison.Ordinal);
    }
}
