using Tether.Update;

namespace Tether.Tests.Update;

/// <summary>
/// Files in memory for <see cref="BinarySwap"/>: path → content. With <c>windows</c> it keeps
/// Windows' rule for a running .exe: it can be renamed, never overwritten or deleted. Each
/// operation is counted; <see cref="KillAt"/> stops the run at one of them as a SIGKILL would
/// (the operation does not happen and nothing after it runs).
/// </summary>
internal sealed class FakeBinaryFiles(bool windows) : IBinaryFiles
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);

    /// <summary>The operation (1-based) at which the process dies; 0 for never.</summary>
    public int KillAt { get; set; }

    public int Operations { get; private set; }

    public List<string> Log { get; } = [];

    public IReadOnlyDictionary<string, string> Files => _files;

    public void Add(string path, string content, bool running = false)
    {
        _files[path] = content;
        if (running)
        {
            _running.Add(content);
        }
    }

    public string? Content(string path) => _files.GetValueOrDefault(path);

    public bool Exists(string path) => _files.ContainsKey(path);

    public void Move(string from, string to, bool overwrite)
    {
        Step($"move {Path.GetFileName(from)} -> {Path.GetFileName(to)}");
        if (!_files.TryGetValue(from, out var content))
        {
            throw new FileNotFoundException(from);
        }

        if (_files.TryGetValue(to, out var existing))
        {
            if (!overwrite)
            {
                throw new IOException($"{to} exists");
            }

            if (windows && _running.Contains(existing))
            {
                throw new UnauthorizedAccessException($"{to} is a running program");
            }
        }

        _files.Remove(from);
        _files[to] = content;
    }

    public void Delete(string path)
    {
        Step($"delete {Path.GetFileName(path)}");
        if (windows && _files.TryGetValue(path, out var content) && _running.Contains(content))
        {
            throw new UnauthorizedAccessException($"{path} is a running program");
        }

        _files.Remove(path);
    }

    public void CopyFlushed(string from, string to)
    {
        Step($"copy {Path.GetFileName(from)} -> {Path.GetFileName(to)}");
        if (windows && _files.TryGetValue(to, out var existing) && _running.Contains(existing))
        {
            throw new UnauthorizedAccessException($"{to} is a running program");
        }

        _files[to] = _files[from];
    }

    public void SyncDirectory(string directory) => Step("sync " + Path.GetFileName(directory));

    /// <summary>The running program ended (after a restart).</summary>
    public void Exited(string content) => _running.Remove(content);

    private void Step(string what)
    {
        Operations++;
        if (Operations == KillAt)
        {
            throw new KilledException();
        }

        Log.Add(what);
    }

    internal sealed class KilledException : Exception
    {
        public KilledException()
            : base("killed")
        {
        }
    }
}
