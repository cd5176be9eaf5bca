using Tether.Backup;

namespace Tether.Tests.Backup;

public sealed class RemoteTargetTests
{
    [Theory]
    [InlineData("/backups/host-1")]
    [InlineData("/srv/a_b.c+d,e=f@g%h:i")]
    public void SafePaths_AreAccepted(string path) => Assert.Null(RemoteTarget.CheckRemotePath(path, "destRoot"));

    [Theory]
    [InlineData("/a b")]
    [InlineData("/a;rm -rf x")]
    [InlineData("/a$HOME")]
    [InlineData("/a/*")]
    [InlineData("~/x")]
    [InlineData("relative")]
    [InlineData("/a/../etc")]
    [InlineData("/a'b")]
    [InlineData("/a`id`")]
    public void ShellSensitivePaths_AreRefused(string path) => Assert.NotNull(RemoteTarget.CheckRemotePath(path, "destRoot"));

    [Fact]
    public void Arguments_FollowTheContractForm()
    {
        Assert.True(ExcludeRules.TryCreate(["*.log", "/top"], out var rules, out _));

        var args = RemoteTarget.RsyncArguments("/a/b", "bk", "127.0.0.2", "/backups/b", 2222, "/k/known", "/k/id", rules!, dryRun: false);

        Assert.Equal(
            ["-a", "--mkpath", "--info=progress2,name1", "-e", "ssh -p 2222 -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/k/known -i /k/id -o IdentitiesOnly=yes", "--exclude=*.log", "--exclude=/top", "/a/b/", "bk@127.0.0.2:/backups/b/"],
            args);
    }

    [Theory]
    [InlineData("         32,768 100%   31.25MB/s    0:00:00 (xfr#1, to-chk=0/3)", 32768, 100, 1)]
    [InlineData("    104,857,600  45%   50.00MB/s    0:00:02  ", 104857600, 45, 0)]
    public void ProgressLines_AreParsed(string line, long bytes, int percent, long files)
    {
        Assert.True(RsyncProgressParser.TryParseProgress(line, out var b, out var p, out var f));
        Assert.Equal((bytes, percent, files), (b, p, f));
    }

    [Theory]
    [InlineData("line\\#012break.txt", "line\nbreak.txt")]
    [InlineData("\\#303\\#274x", "üx")]
    [InlineData("plain/name", "plain/name")]
    public void EscapedNames_AreRestored(string printed, string expected) => Assert.Equal(expected, RsyncProgressParser.UnescapeName(printed));

    [Fact]
    public void NameLines_AreNotProgress() => Assert.False(RsyncProgressParser.TryParseProgress("dir/some file.txt", out _, out _, out _));
}
