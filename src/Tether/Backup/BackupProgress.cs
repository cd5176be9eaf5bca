namespace Tether.Backup;

/// <summary>
/// The running counters of one job, written by the copy workers and read by the progress
/// pacer. Thread-safe: counters are Interlocked, the current file/op are single references.
/// </summary>
internal sealed class BackupProgress
{
    private long _transferredBytes;
    private long _processedBytes;
    private long _filesDone;
    private long _filesTransferred;
    private volatile string _currentFile = string.Empty;
    private volatile string _op = "plan";

    public long TotalFiles { get; set; }

    public long TotalBytes { get; set; }

    public long TransferredBytes => Interlocked.Read(ref _transferredBytes);

    public long FilesDone => Interlocked.Read(ref _filesDone);

    public long FilesTransferred => Interlocked.Read(ref _filesTransferred);

    public string CurrentFile => _currentFile;

    public string Op => _op;

    public void Begin(string file, string op)
    {
        _currentFile = file;
        _op = op;
    }

    public void SetOp(string op) => _op = op;

    public void AddTransferred(long bytes)
    {
        Interlocked.Add(ref _transferredBytes, bytes);
        Interlocked.Add(ref _processedBytes, bytes);
    }

    /// <summary>Remote mode: rsync reports the cumulative figures itself.</summary>
    public void SetAbsolute(long transferredBytes, long filesDone)
    {
        Interlocked.Exchange(ref _transferredBytes, transferredBytes);
        Interlocked.Exchange(ref _processedBytes, transferredBytes);
        Interlocked.Exchange(ref _filesDone, filesDone);
        Interlocked.Exchange(ref _filesTransferred, filesDone);
    }

    public void FileSkipped(long size)
    {
        Interlocked.Add(ref _processedBytes, size);
        Interlocked.Increment(ref _filesDone);
    }

    public void FileTransferred()
    {
        Interlocked.Increment(ref _filesDone);
        Interlocked.Increment(ref _filesTransferred);
    }

    /// <summary>0–100: bytes processed (copied or found unchanged) of the selected total.</summary>
    public double Percent
    {
        get
        {
            long total = TotalBytes;
            if (total <= 0)
            {
                return TotalFiles <= 0 ? 0 : Math.Min(100.0, FilesDone * 100.0 / TotalFiles);
            }

            return Math.Min(100.0, Math.Round(Interlocked.Read(ref _processedBytes) * 100.0 / total, 1));
        }
    }
}
