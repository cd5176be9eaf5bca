namespace Tether.Update;

/// <summary>
/// The file names and renames of an install and a rollback beside the binary (docs/protocol.md §10).
/// On Unix a file can be renamed over the running binary, so each change is one rename and a
/// kill leaves the old or the new file in place. Windows cannot overwrite or delete a running
/// .exe, only rename it: the running file is renamed aside first and the new one into its
/// place, two renames one after the other; a kill between those two leaves no file at the
/// binary's path (the one window, documented with its recovery in packaging/windows/README.md).
/// </summary>
/// <remarks>Not thread-safe; one update or rollback at a time.</remarks>
internal sealed class BinarySwap
{
    /// <summary>The download beside the binary; removed before each download and at each start.</summary>
    public const string TempFileName = ".tether.update.tmp";

    private readonly IBinaryFiles _files;
    private readonly bool _windows;

    public BinarySwap(IBinaryFiles files, string binaryPath, bool windows)
    {
        _files = files;
        _windows = windows;
        BinaryPath = binaryPath;
        Directory = Path.GetDirectoryName(binaryPath)!;
        Temp = Join(TempFileName);
        Previous = PreviousPath(binaryPath, windows);
    }

    public string BinaryPath { get; }

    public string Directory { get; }

    public string Temp { get; }

    /// <summary><c>tether.previous</c> (<c>tether.previous.exe</c> on Windows).</summary>
    public string Previous { get; }

    /// <summary>Windows: where a rollback renames the running (rolled back) .exe; removed at the next start.</summary>
    public string RolledBackAside => Join("tether.rolledback.exe");

    /// <summary>The copy of <see cref="Previous"/> a rollback makes before it is renamed into place.</summary>
    public string RestoreTemp => BinaryPath + ".tmp";

    private string PreviousTemp => Previous + ".tmp";

    public static string PreviousPath(string binaryPath, bool windows) =>
        Path.Join(Path.GetDirectoryName(binaryPath), windows ? "tether.previous.exe" : "tether.previous");

    /// <summary>
    /// Install, before the state is written: Unix keeps a copy of the running binary as
    /// <see cref="Previous"/> (temporary file, rename). Windows keeps nothing yet: the running
    /// file itself becomes <see cref="Previous"/> in <see cref="PutInPlace"/>.
    /// </summary>
    public void KeepPrevious()
    {
        if (_windows)
        {
            return;
        }

        _files.CopyFlushed(BinaryPath, PreviousTemp);
        _files.Move(PreviousTemp, Previous, overwrite: true);
        _files.SyncDirectory(Directory);
    }

    /// <summary>Install, last step: <see cref="Temp"/> becomes the binary.</summary>
    public void PutInPlace()
    {
        if (_windows)
        {
            RenameAsideAndIn(Previous, Temp);
            return;
        }

        _files.Move(Temp, BinaryPath, overwrite: true);
        _files.SyncDirectory(Directory);
    }

    /// <summary>Rollback: <see cref="Previous"/> is copied back over the binary (through <see cref="RestoreTemp"/>, so Previous stays until the next install).</summary>
    public void Restore()
    {
        _files.CopyFlushed(Previous, RestoreTemp);
        if (_windows)
        {
            RenameAsideAndIn(RolledBackAside, RestoreTemp);
            return;
        }

        _files.Move(RestoreTemp, BinaryPath, overwrite: true);
        _files.SyncDirectory(Directory);
    }

    /// <summary>
    /// At start, when no update runs: removes what a killed install or rollback left (the
    /// download, half-written copies, Windows' renamed-aside .exe). Returns the paths removed.
    /// </summary>
    public IReadOnlyList<string> RemoveLeftovers()
    {
        var removed = new List<string>();
        foreach (string path in (string[])[Temp, PreviousTemp, RestoreTemp, RolledBackAside])
        {
            if ((_windows || path != RolledBackAside) && _files.Exists(path))
            {
                try
                {
                    _files.Delete(path);
                    removed.Add(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Windows: the rolled-back .exe may still be ending after it started this
                    // process; the next start removes it.
                }
            }
        }

        return removed;
    }

    /// <summary>Windows: the running binary is renamed to <paramref name="aside"/>, then <paramref name="incoming"/> to the binary; if that fails, the binary is renamed back.</summary>
    private void RenameAsideAndIn(string aside, string incoming)
    {
        _files.Move(BinaryPath, aside, overwrite: true);
        try
        {
            _files.Move(incoming, BinaryPath, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _files.Move(aside, BinaryPath, overwrite: false);
            throw;
        }
    }

    private string Join(string name) => Path.Join(Directory, name);
}
