using System.Text;

namespace Tether.Logging;

/// <summary>
/// Appends lines to a file and rotates it by size the logrotate way: when a line would push the file past
/// <c>maxBytes</c>, <c>f</c> becomes <c>f.1</c>, <c>f.1</c> becomes <c>f.2</c> … and only <c>retainedFiles</c>
/// old files are kept, so <c>f</c> is always the current file (<c>tail -F</c> works).
/// I/O failures surface as exceptions from <see cref="WriteLine"/>; a failed rename does not stop logging.
/// </summary>
/// <remarks>Thread-safe: one lock around open, rotate and write.</remarks>
internal sealed class RollingFileWriter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly long _maxBytes;
    private readonly int _retainedFiles;
    private FileStream? _stream;
    private long _length;
    private bool _disposed;

    public RollingFileWriter(string path, long maxBytes, int retainedFiles)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(retainedFiles);
        Path = System.IO.Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _retainedFiles = retainedFiles;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="line"/> plus '\n' (the caller passes no newline) and flushes it to the OS.</summary>
    public void WriteLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var bytes = Encoding.UTF8.GetBytes(line.EndsWith('\n') ? line : line + "\n");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var stream = _stream ??= Open();
            if (_length > 0 && _length + bytes.Length > _maxBytes)
            {
                stream = Rotate();
            }

            stream.Write(bytes);
            stream.Flush();
            _length += bytes.Length;
        }
    }

    /// <summary>Opens (creating the directory) now instead of at the first line, to report an unwritable path early.</summary>
    public bool TryOpen(out string? error)
    {
        lock (_gate)
        {
            try
            {
                _stream ??= Open();
                error = null;
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = e.Message;
                return false;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _stream?.Dispose();
            _stream = null;
        }
    }

    private FileStream Open()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Logs name hosts, commands and users: not for every local account.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        }

        var stream = new FileStream(Path, options);
        _length = stream.Length;
        return stream;
    }

    private FileStream Rotate()
    {
        _stream!.Dispose();
        _stream = null;
        try
        {
            if (_retainedFiles == 0)
            {
                File.Delete(Path);
            }
            else
            {
                File.Delete(Old(_retainedFiles));
                for (var i = _retainedFiles - 1; i >= 1; i--)
                {
                    if (File.Exists(Old(i)))
                    {
                        File.Move(Old(i), Old(i + 1), overwrite: true);
                    }
                }

                File.Move(Path, Old(1), overwrite: true);
            }

            // Leftovers from a run with a larger retainedFiles.
            for (var i = _retainedFiles + 1; File.Exists(Old(i)); i++)
            {
                File.Delete(Old(i));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Keep logging into the current file rather than losing lines.
        }

        _stream = Open();
        return _stream;
    }

    private string Old(int index) => Path + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
