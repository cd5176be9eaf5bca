using Tether.Update;

namespace Tether.Tests.Update;

/// <summary>
/// The renames of an install and a rollback (docs/protocol.md §10) on a fake file system with
/// Unix's and Windows' rules, killed after every operation: what is left at the binary's path.
/// The real files are exercised by the integration tests (UpdateCrashTests on Linux).
/// </summary>
public sealed class BinarySwapTests
{
    private const string Dir = "/opt/tether";

    [Fact]
    public void Unix_Install_CopiesThePrevious_RenamesTheNewFileOver_SyncsTheFolder()
    {
        var (files, swap) = Host(windows: false);
        swap.KeepPrevious();
        swap.PutInPlace();

        Assert.Equal("new", files.Content(swap.BinaryPath));
        Assert.Equal("old", files.Content(Path.Join(Dir, "tether.previous")));
        Assert.Equal(2, files.Files.Count);
        Assert.Equal(["copy tether -> tether.previous.tmp", "move tether.previous.tmp -> tether.previous", "sync tether", "move .tether.update.tmp -> tether", "sync tether"], files.Log);
    }

    [Fact]
    public void Windows_Install_RenamesTheRunningExeToPrevious_ThenTheNewFileIn()
    {
        var (files, swap) = Host(windows: true);
        swap.KeepPrevious();
        swap.PutInPlace();

        Assert.Equal("new", files.Content(swap.BinaryPath));
        Assert.Equal("old", files.Content(Path.Join(Dir, "tether.previous.exe")));
        Assert.Equal(2, files.Files.Count);
        Assert.Equal(["move tether.exe -> tether.previous.exe", "move .tether.update.tmp -> tether.exe"], files.Log);
    }

    [Fact]
    public void Windows_Install_OverAnOldPrevious_ThatIsNotRunning()
    {
        var (files, swap) = Host(windows: true);
        files.Add(Path.Join(Dir, "tether.previous.exe"), "older");
        swap.PutInPlace();

        Assert.Equal("new", files.Content(swap.BinaryPath));
        Assert.Equal("old", files.Content(swap.Previous));
    }

    [Fact]
    public void Windows_Install_WhenTheNewFileCannotBeRenamedIn_TheRunningExeGoesBack()
    {
        var (files, swap) = Host(windows: true);
        var failing = new FailingSecondMove(files, swap.BinaryPath);
        var failingSwap = new BinarySwap(failing, swap.BinaryPath, windows: true);

        Assert.Throws<IOException>(failingSwap.PutInPlace);
        Assert.Equal("old", files.Content(swap.BinaryPath));
        Assert.Equal("new", files.Content(swap.Temp));
    }

    [Fact]
    public void Unix_KilledAtAnyOperationOfAnInstall_TheBinaryIsTheOldOrTheNewFile()
    {
        for (int kill = 1; ; kill++)
        {
            var (files, swap) = Host(windows: false);
            files.KillAt = kill;
            if (!KilledDuring(() => { swap.KeepPrevious(); swap.PutInPlace(); }))
            {
                break;
            }

            Assert.Contains(files.Content(swap.BinaryPath), (string?[])["old", "new"]);
        }
    }

    [Fact]
    public void Windows_KilledAtAnyOperationOfAnInstall_OnlyBetweenTheTwoRenamesIsNoBinaryLeft()
    {
        var gaps = new List<int>();
        for (int kill = 1; ; kill++)
        {
            var (files, swap) = Host(windows: true);
            files.KillAt = kill;
            if (!KilledDuring(() => { swap.KeepPrevious(); swap.PutInPlace(); }))
            {
                break;
            }

            if (files.Content(swap.BinaryPath) is null)
            {
                gaps.Add(kill);

                // What packaging/windows/README.md tells the operator to do: the previous is whole.
                Assert.Equal("old", files.Content(swap.Previous));
                Assert.Equal("new", files.Content(swap.Temp));
            }
            else
            {
                Assert.Contains(files.Content(swap.BinaryPath), (string?[])["old", "new"]);
            }
        }

        Assert.Equal([2], gaps);
    }

    [Fact]
    public void Windows_Rollback_RenamesTheRunningNewExeAside_CopiesThePreviousIn_KeepsThePrevious()
    {
        var files = new FakeBinaryFiles(windows: true);
        var swap = new BinarySwap(files, Path.Join(Dir, "tether.exe"), windows: true);
        files.Add(swap.BinaryPath, "new", running: true);
        files.Add(swap.Previous, "old");
        swap.Restore();

        Assert.Equal("old", files.Content(swap.BinaryPath));
        Assert.Equal("old", files.Content(swap.Previous));
        Assert.Equal("new", files.Content(swap.RolledBackAside));

        // The next start, while the rolled-back process may still be ending: left for later.
        Assert.Empty(swap.RemoveLeftovers());
        files.Exited("new");
        Assert.Equal([swap.RolledBackAside], swap.RemoveLeftovers());
        Assert.Equal(2, files.Files.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KilledAtAnyOperationOfARollback_TheBinaryIsTheNewOrTheRestoredFile_ExceptBetweenWindowsRenames(bool windows)
    {
        var gaps = new List<int>();
        for (int kill = 1; ; kill++)
        {
            var files = new FakeBinaryFiles(windows);
            var swap = new BinarySwap(files, Path.Join(Dir, windows ? "tether.exe" : "tether"), windows);
            files.Add(swap.BinaryPath, "new", running: true);
            files.Add(swap.Previous, "old");
            files.KillAt = kill;
            if (!KilledDuring(swap.Restore))
            {
                break;
            }

            if (files.Content(swap.BinaryPath) is null)
            {
                gaps.Add(kill);
            }
            else
            {
                Assert.Contains(files.Content(swap.BinaryPath), (string?[])["old", "new"]);
            }

            Assert.Equal("old", files.Content(swap.Previous));
        }

        Assert.Equal(windows ? [3] : [], gaps);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RemoveLeftovers_RemovesTheDownloadAndHalfCopies_KeepsTheBinaryAndThePrevious(bool windows)
    {
        var files = new FakeBinaryFiles(windows);
        var swap = new BinarySwap(files, Path.Join(Dir, windows ? "tether.exe" : "tether"), windows);
        files.Add(swap.BinaryPath, "bin", running: true);
        files.Add(swap.Previous, "prev");
        files.Add(swap.Temp, "partial");
        files.Add(swap.Previous + ".tmp", "half a copy");
        files.Add(swap.RestoreTemp, "half a restore");
        files.Add(Path.Join(Dir, "tether.rolledback.exe"), "aside");

        var removed = swap.RemoveLeftovers();

        Assert.Equal(windows ? 4 : 3, removed.Count);
        Assert.Equal("bin", files.Content(swap.BinaryPath));
        Assert.Equal("prev", files.Content(swap.Previous));
        Assert.False(files.Exists(swap.Temp));
        Assert.Equal(!windows, files.Exists(Path.Join(Dir, "tether.rolledback.exe")));
    }

    private static (FakeBinaryFiles Files, BinarySwap Swap) Host(bool windows)
    {
        var files = new FakeBinaryFiles(windows);
        var swap = new BinarySwap(files, Path.Join(Dir, windows ? "tether.exe" : "tether"), windows);
        files.Add(swap.BinaryPath, "old", running: true);
        files.Add(swap.Temp, "new");
        return (files, swap);
    }

    /// <summary>True when the fake killed the run; false when it ran to the end.</summary>
    private static bool KilledDuring(Action run)
    {
        try
        {
            run();
            return false;
        }
        catch (FakeBinaryFiles.KilledException)
        {
            return true;
        }
    }

    /// <summary>The second move (the new file into place) fails with a disk error; everything else goes to the fake.</summary>
    private sealed class FailingSecondMove(FakeBinaryFiles inner, string binaryPath) : IBinaryFiles
    {
        public bool Exists(string path) => inner.Exists(path);

        public void Move(string from, string to, bool overwrite)
        {
            if (to == binaryPath && from != Path.Join(Dir, "tether.previous.exe"))
            {
                throw new IOException("disk error");
            }

            inner.Move(from, to, overwrite);
        }

        public void Delete(string path) => inner.Delete(path);

        public void CopyFlushed(string from, string to) => inner.CopyFlushed(from, to);

        public void SyncDirectory(string directory) => inner.SyncDirectory(directory);
    }
}
