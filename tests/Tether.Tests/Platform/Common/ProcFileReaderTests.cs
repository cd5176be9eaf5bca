using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Tests.Platform.Common;

[SupportedOSPlatform("linux")]
public sealed class ProcFileReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("tether-proc-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryRead_FileLargerThanInitialBuffer_ReturnsAllBytes()
    {
        byte[] expected = new byte[100_000];
        new Random(42).NextBytes(expected);
        string path = _dir.Join("big");
        File.WriteAllBytes(path, expected);

        Assert.True(new ProcFileReader().TryRead(path, out var content));

        Assert.True(content.SequenceEqual(expected));
    }

    [Fact]
    public void TryRead_WithLimit_ReturnsOnlyThePrefix()
    {
        string path = _dir.Join("stat");
        File.WriteAllText(path, new string('x', 10_000));

        Assert.True(new ProcFileReader().TryRead(path, out var content, limit: 4096));

        Assert.Equal(4096, content.Length);
    }

    [Fact]
    public void TryRead_SecondReadOfShorterFile_DoesNotLeakFirstContent()
    {
        var reader = new ProcFileReader();
        string longPath = _dir.Join("long");
        string shortPath = _dir.Join("short");
        File.WriteAllText(longPath, "0123456789");
        File.WriteAllText(shortPath, "ab");

        Assert.True(reader.TryRead(longPath, out _));
        Assert.True(reader.TryRead(shortPath, out var content));

        Assert.True(content.SequenceEqual("ab"u8));
    }

    [Fact]
    public void TryRead_MissingFile_ReturnsFalse()
    {
        Assert.False(new ProcFileReader().TryRead(_dir.Join("absent"), out _));
    }

    [Fact]
    public void TryRead_RealProcFileOfUnknownSize_ReadsToEnd()
    {
        // procfs reports size 0; the reader must not trust it.
        Assert.True(new ProcFileReader().TryRead("/proc/self/status", out var content));

        Assert.Contains("Name:", System.Text.Encoding.ASCII.GetString(content), StringComparison.Ordinal);
        Assert.EndsWith("\n", System.Text.Encoding.ASCII.GetString(content), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_AFolder_ReturnsFalse()
    {
        Assert.False(new ProcFileReader().TryRead(_dir.Path, out _));
    }

    /// <summary>
    /// The reader takes no flock(2) (File.OpenHandle's FileShare emulation would, and would fail
    /// on a file another holder locked exclusively): one open and reads, nothing else.
    /// </summary>
    [Fact]
    public void TryRead_AFileLockedExclusivelyByAnotherHolder_IsStillRead()
    {
        string path = _dir.Join("locked");
        File.WriteAllText(path, "cpu 1 2 3\n");
        using var holder = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None); // flock(LOCK_EX)

        Assert.True(new ProcFileReader().TryRead(path, out var content));

        Assert.True(content.SequenceEqual("cpu 1 2 3\n"u8));
    }

    [Fact]
    public void TryRead_AProcFile_IsKeptOpen_AndEveryReadMakesItsTextAfresh()
    {
        var reader = new ProcFileReader();
        Assert.True(reader.TryRead("/proc/uptime", out var first));
        string before = System.Text.Encoding.ASCII.GetString(first);
        Thread.Sleep(50); // /proc/uptime counts in hundredths of a second

        Assert.True(reader.TryRead("/proc/uptime", out var second));
        string after = System.Text.Encoding.ASCII.GetString(second);

        Assert.Equal(1, reader.KeptCount);
        Assert.NotEqual(before, after);
        Assert.True(double.Parse(after.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) > double.Parse(before.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TryRead_AKeptProcFileWithALimit_ReadsThePrefixEachTime()
    {
        var reader = new ProcFileReader();
        Assert.True(reader.TryRead("/proc/self/status", out var whole));
        string expected = System.Text.Encoding.ASCII.GetString(whole[..16]);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(reader.TryRead("/proc/self/status", out var prefix, limit: 16));
            Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(prefix));
        }

        Assert.Equal(1, reader.KeptCount);
    }

    /// <summary>A kept descriptor would go on reading the file a rename replaced: only procfs and sysfs are kept.</summary>
    [Fact]
    public void TryRead_AFileElsewhere_IsNotKept_SoAFileReplacedByARenameIsReadAnew()
    {
        var reader = new ProcFileReader();
        string path = _dir.Join("meminfo");
        File.WriteAllText(path, "old\n");
        Assert.True(reader.TryRead(path, out _));

        string next = _dir.Join("meminfo.new");
        File.WriteAllText(next, "new\n");
        File.Move(next, path, overwrite: true);

        Assert.True(reader.TryRead(path, out var content));
        Assert.True(content.SequenceEqual("new\n"u8));
        Assert.Equal(0, reader.KeptCount);
    }
}
