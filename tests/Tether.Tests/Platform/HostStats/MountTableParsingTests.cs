using System.Text;
using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

/// <summary>mountinfo and diskstats lines, the escapes and the filter of pseudo and container mounts.</summary>
public sealed class MountTableParsingTests
{
    [Fact]
    public void MountInfoLine_WithOptionalFieldsAndEscapes()
    {
        var line = "36 35 98:0 /mnt1 /mnt/my\\040disk rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue"u8;

        Assert.True(MountInfoParser.TryParseLine(line, out var entry));

        Assert.Equal((98u, 0u), (entry.Major, entry.Minor));
        Assert.Equal("/mnt1", Encoding.ASCII.GetString(entry.Root));
        Assert.Equal("/mnt/my disk", MountInfoParser.Unescape(entry.MountPoint));
        Assert.Equal("ext3", Encoding.ASCII.GetString(entry.FsType));
        Assert.Equal("/dev/root", Encoding.ASCII.GetString(entry.Source));
        Assert.Equal("a\tb\nc\\d", MountInfoParser.Unescape("a\\011b\\012c\\134d"u8));
    }

    [Theory]
    [InlineData("36 35 98:0 / /mnt rw master:1")] // no separator
    [InlineData("36 35 98 / /mnt rw - ext4 /dev/sda1 rw")] // no minor
    [InlineData("36 35")]
    public void MountInfoLine_OfAnotherShape_IsRejected(string text)
    {
        Assert.False(MountInfoParser.TryParseLine(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("ext4", "/", true)]
    [InlineData("xfs", "/srv/data", true)]
    [InlineData("tmpfs", "/tmp", true)]
    [InlineData("tmpfs", "/run", false)]
    [InlineData("tmpfs", "/run/user/1000", false)]
    [InlineData("tmpfs", "/dev/shm", false)]
    [InlineData("tmpfs", "/running", true)]
    [InlineData("proc", "/proc", false)]
    [InlineData("cgroup2", "/sys/fs/cgroup", false)]
    [InlineData("overlay", "/var/lib/docker/overlay2/abc/merged", false)]
    [InlineData("overlay", "/", true)]
    [InlineData("ext4", "/var/lib/docker/containers/abc/hostname", false)]
    [InlineData("squashfs", "/snap/core/1", false)]
    [InlineData("nfs4", "/mnt/nas", true)]
    public void Filter_ListsRealFileSystemsOnly(string fsType, string mountPoint, bool listed)
    {
        Assert.Equal(listed, LinuxMountFilter.IsListed(Encoding.ASCII.GetBytes(fsType), Encoding.ASCII.GetBytes(mountPoint)));
    }

    [Fact]
    public void DiskStatsLine_SectorsAreHalfKilobytes()
    {
        var line = " 254       0 vda 363873 43949 13676514 211772 102285 109851 65616136 238429 0 118940 503745 117519 127 53895568 40545 2630 12998"u8;

        Assert.True(DiskStatsParser.TryParseLine(line, out uint major, out uint minor, out var name, out ulong read, out ulong written));

        Assert.Equal((254u, 0u, "vda"), (major, minor, Encoding.ASCII.GetString(name)));
        Assert.Equal(13676514UL * 512, read);
        Assert.Equal(65616136UL * 512, written);
    }

    [Fact]
    public void ProcStat_PerCoreLines_InOrder_AndACutPrefixIsIncomplete()
    {
        const string Stat = "cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 5 0 5 40 0 0 0 0 0 0\ncpu1 5 0 5 40 0 0 0 0 0 0\nintr 1 2 3\n";
        var cores = new List<CpuTimes>();

        Assert.True(ProcStatParser.TryParseCores(Encoding.ASCII.GetBytes(Stat), cores, out bool complete));
        Assert.True(complete);
        Assert.Equal([new CpuTimes(10, 40), new CpuTimes(10, 40)], cores);

        Assert.True(ProcStatParser.TryParseCores(Encoding.ASCII.GetBytes(Stat[..50]), cores, out complete));
        Assert.False(complete);
    }
}
