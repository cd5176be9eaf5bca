using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Tether.Platform.HostStats;
using Tether.Telemetry;

namespace Tether.Tests.Platform.HostStats;

/// <summary>
/// Real mounts made by the test as root: an ext4 file system from mkfs on a loop device, a tmpfs,
/// and a bind mount of a folder of the ext4 one; each must appear once with df's figures, and a
/// dd on the ext4 one must show up in its device's byte counters.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class MountedFileSystemsRealTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-mounts-");
    private readonly List<string> _mounted = [];

    public MountedFileSystemsRealTests()
    {
        Run("truncate", "-s", "64M", _dir.Join("ext4.img"));
        Run("mkfs.ext4", "-q", "-F", _dir.Join("ext4.img"));
        Directory.CreateDirectory(Ext4);
        Directory.CreateDirectory(Tmpfs);
        Directory.CreateDirectory(Bind);
        Mount("-o", "loop", _dir.Join("ext4.img"), Ext4);
        Mount("-t", "tmpfs", "-o", "size=16m", "tether-test-tmpfs", Tmpfs);
        Directory.CreateDirectory(Path.Join(Ext4, "sub"));
        Mount("--bind", Path.Join(Ext4, "sub"), Bind);
    }

    private string Ext4 => _dir.Join("ext4 mnt"); // a space: mountinfo writes it as \040

    private string Tmpfs => _dir.Join("tmpfs");

    private string Bind => _dir.Join("bind");

    [Fact]
    public void LoopExt4_Tmpfs_AppearOnceWithDfFigures_BindMountIsNotASecondDisk()
    {
        var stats = new LinuxHostStats();
        var mounts = new List<MountedFileSystem>();

        Assert.True(stats.TryReadMountedFileSystems(mounts));

        Assert.Single(mounts, m => m.MountPoint == Ext4);
        Assert.Single(mounts, m => m.MountPoint == Tmpfs);
        Assert.DoesNotContain(mounts, m => m.MountPoint == Bind);
        Assert.Equal(mounts.Count, mounts.Select(m => m.MountPoint).Distinct().Count());
        Assert.Equal("ext4", mounts.Single(m => m.MountPoint == Ext4).FsType);
        Assert.Equal("tmpfs", mounts.Single(m => m.MountPoint == Tmpfs).FsType);
        Assert.True(mounts.Single(m => m.MountPoint == Ext4).HasIo);
        Assert.False(mounts.Single(m => m.MountPoint == Tmpfs).HasIo);
        Assert.DoesNotContain(mounts, m => m.FsType is "proc" or "sysfs" or "cgroup" or "cgroup2" or "devpts" or "devtmpfs");

        // The collector's figures against df -B1 (both read the same quiet file systems, so equal).
        var collector = new StatsCollector(stats, TimeProvider.System, "0.0.0-test");
        var disks = collector.Sample(null).Disks!;
        foreach (string path in new[] { Ext4, Tmpfs })
        {
            var disk = Assert.Single(disks, d => d.Path == path);
            var (size, used, avail) = Df(path);
            Assert.Equal(size, disk.TotalBytes);
            Assert.Equal(used, disk.UsedBytes);
            Assert.Equal(avail, disk.FreeBytes);
        }
    }

    [Fact]
    public void Dd_OnTheExt4Mount_IsCountedInItsWrittenBytesAndRate()
    {
        var stats = new LinuxHostStats();
        var collector = new StatsCollector(stats, TimeProvider.System, "0.0.0-test");
        var mounts = new List<MountedFileSystem>();
        Assert.True(stats.TryReadMountedFileSystems(mounts));
        ulong before = mounts.Single(m => m.MountPoint == Ext4).WrittenBytes;
        collector.Sample(null);

        // O_DIRECT: the 8 MiB go to the loop device now, not when the page cache is flushed.
        Run("dd", "if=/dev/zero", $"of={Path.Join(Ext4, "sub", "blob")}", "bs=1M", "count=8", "oflag=direct", "status=none");

        var disk = collector.Sample(null).Disks!.Single(d => d.Path == Ext4);
        Assert.True(stats.TryReadMountedFileSystems(mounts));
        ulong after = mounts.Single(m => m.MountPoint == Ext4).WrittenBytes;
        Assert.True(after - before >= 8UL << 20, $"written bytes moved by {after - before}, expected at least 8 MiB");
        Assert.True(disk.WriteBytesPerSec > 0);
        Assert.Equal(0, collector.Sample(null).Disks!.Single(d => d.Path == Tmpfs).WriteBytesPerSec);
    }

    [Fact]
    public void ExcludeMounts_LeavesOutTheMatchingMounts()
    {
        var settings = new Tether.Config.StatsSettings { ExcludeMounts = [_dir.Path + "/tmp*"] };
        var collector = new StatsCollector(new LinuxHostStats(), TimeProvider.System, "0.0.0-test", settings: settings);

        var disks = collector.Sample(null).Disks!;

        Assert.DoesNotContain(disks, d => d.Path == Tmpfs);
        Assert.Contains(disks, d => d.Path == Ext4);
    }

    [Fact]
    public void AMountAndAnUnmountAfterTheFirstRead_AreSeenByTheNextRead()
    {
        var stats = new LinuxHostStats();
        var mounts = new List<MountedFileSystem>();
        Assert.True(stats.TryReadMountedFileSystems(mounts));
        Assert.True(stats.TryReadMountedFileSystems(mounts)); // a quiet table: kept, not read again
        string late = _dir.Join("late");
        Directory.CreateDirectory(late);

        Mount("-t", "tmpfs", "-o", "size=8m", "tether-test-late", late);
        Assert.True(stats.TryReadMountedFileSystems(mounts));
        Assert.Single(mounts, m => m.MountPoint == late);

        Run("umount", late);
        _mounted.Remove(late);
        Assert.True(stats.TryReadMountedFileSystems(mounts));
        Assert.DoesNotContain(mounts, m => m.MountPoint == late);
        Assert.Single(mounts, m => m.MountPoint == Tmpfs);
    }

    public void Dispose()
    {
        for (int i = _mounted.Count - 1; i >= 0; i--)
        {
            RunUnchecked("umount", _mounted[i]);
        }

        _dir.Dispose();
    }

    private void Mount(params string[] args)
    {
        Run("mount", args);
        _mounted.Add(args[^1]);
    }

    private static (ulong Size, ulong Used, ulong Avail) Df(string path)
    {
        string output = Run("df", "-B1", "--output=size,used,avail", path);
        string[] fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (ulong.Parse(fields[0], CultureInfo.InvariantCulture), ulong.Parse(fields[1], CultureInfo.InvariantCulture), ulong.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    private static string Run(string file, params string[] args)
    {
        var (code, output, error) = RunUnchecked(file, args);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }

    private static (int Code, string Output, string Error) RunUnchecked(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, stdout.Result, stderr);
    }
}
