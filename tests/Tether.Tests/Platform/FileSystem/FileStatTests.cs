using System.Runtime.Versioning;
using Tether.Platform.Common;
using Tether.Platform.FileSystem;

namespace Tether.Tests.Platform.FileSystem;

/// <summary>The managed lstat (macOS, Windows, a Linux without statx) against statx on this machine.</summary>
[SupportedOSPlatform("linux")]
public sealed class FileStatTests : IDisposable
{
    private static readonly UnixFileSystem Files = new();

    private readonly TempDirectory _root = new("tether-filestat-");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void TryLstatPortable_AgreesWithStatx_ForFileDirectoryAndSymlinks()
    {
        string file = _root.Join("file");
        File.WriteAllText(file, "hello, world");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        string dir = Directory.CreateDirectory(_root.Join("dir")).FullName;
        string fileLink = _root.Join("file-link");
        File.CreateSymbolicLink(fileLink, "file");
        string dirLink = _root.Join("dir-link");
        File.CreateSymbolicLink(dirLink, "dir");
        string dangling = _root.Join("dangling");
        File.CreateSymbolicLink(dangling, "nowhere/at/all");
        Files.SetTimes(file, 1_600_000_000, 123_456_789, noFollow: true);
        Files.SetTimes(dangling, 1_500_000_000, 5, noFollow: true);

        foreach (var path in new[] { file, dir, fileLink, dirLink, dangling })
        {
            Assert.True(Files.TryLstat(path, out var native, out _), path);
            Assert.True(FileStat.TryReadManaged(path, UnixPlatform.Current.ENoEnt, out var portable, out _), path);

            Assert.Equal(native.Kind, portable.Kind);
            Assert.Equal(native.Kind == FileKind.Directory ? 0 : native.Size, portable.Size);
            Assert.Equal(native.MtimeSec, portable.MtimeSec);
            Assert.Equal(native.MtimeNsec / 100, portable.MtimeNsec / 100);
            if (native.Kind != FileKind.Symlink)
            {
                Assert.Equal(native.Mode, portable.Mode);
            }
        }
    }

    [Fact]
    public void TryLstatPortable_Missing_IsFalseWithENoEnt()
    {
        Assert.False(FileStat.TryReadManaged(_root.Join("missing"), UnixPlatform.Current.ENoEnt, out _, out int error));
        Assert.Equal(2, error);
        Assert.False(FileStat.TryReadManaged(_root.Join("missing", "deeper"), UnixPlatform.Current.ENoEnt, out _, out error));
        Assert.Equal(2, error);
    }

    [Fact]
    public void TryLstatPortable_TimeBefore1970_KeepsNanosecondsPositive()
    {
        string file = _root.Join("old");
        File.WriteAllText(file, string.Empty);
        Files.SetTimes(file, -10, 250_000_000, noFollow: false);

        Assert.True(FileStat.TryReadManaged(file, UnixPlatform.Current.ENoEnt, out var stat, out _));
        Assert.Equal((-10L, 250_000_000u), (stat.MtimeSec, stat.MtimeNsec));
    }

    [Fact]
    public void ToTimespec_PastYear2038_KeptWith64BitTimeT_RefusedWith32Bit()
    {
        const long Year2100 = 4_102_444_800;
        if (IntPtr.Size == 8)
        {
            var ts = UnixFileSystem.ToTimespec(Year2100, 7, "x");
            Assert.Equal((Year2100, 7L), ((long)ts.tv_sec, (long)ts.tv_nsec));
        }
        else
        {
            Assert.Throws<IOException>(() => UnixFileSystem.ToTimespec(Year2100, 7, "x"));
        }

        Assert.Equal((nint)int.MaxValue, UnixFileSystem.ToTimespec(int.MaxValue, 0, "x").tv_sec);
    }
}
