using Tether.Logging;

namespace Tether.Tests.Logging;

public sealed class RollingFileWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ZeroRetainedFiles_KeepsOnlyTheCurrentFile()
    {
        var path = Path.Combine(_dir.Path, "a.log");
        using (var writer = new RollingFileWriter(path, 100, 0))
        {
            for (var i = 0; i < 20; i++)
            {
                writer.WriteLine(new string('x', 30));
            }
        }

        Assert.Equal(["a.log"], Directory.GetFiles(_dir.Path).Select(f => Path.GetFileName(f)));
        Assert.InRange(new FileInfo(path).Length, 1, 100);
    }

    [Fact]
    public void ExistingOversizedFile_IsRotatedOnFirstWrite_AndExtraOldFilesRemoved()
    {
        var path = _dir.Write("a.log", new string('o', 500) + "\n");
        _dir.Write("a.log.1", "one\n");
        _dir.Write("a.log.2", "two\n");
        _dir.Write("a.log.3", "three\n");

        using (var writer = new RollingFileWriter(path, 100, 2))
        {
            writer.WriteLine("new");
        }

        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.StartsWith("ooo", File.ReadAllText(path + ".1"), StringComparison.Ordinal);
        Assert.Equal("one\n", File.ReadAllText(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
    }

    [Fact]
    public void LineLargerThanMaxBytes_IsStillWrittenWhole()
    {
        var path = Path.Combine(_dir.Path, "a.log");
        using (var writer = new RollingFileWriter(path, 10, 1))
        {
            writer.WriteLine(new string('y', 50));
        }

        Assert.Equal(51, new FileInfo(path).Length);
    }
}
