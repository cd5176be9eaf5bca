namespace Tether.Tests.Infrastructure;

/// <summary>
/// A fresh directory under the temp folder, private to this user on Unix (mode 0700, like
/// mkdtemp), deleted with everything in it on dispose: <c>using var dir = new TempDirectory();</c>.
/// </summary>
/// <remarks>
/// Shared by the unit and the integration tests (linked into the latter). Cleanup never fails a
/// test: a file still held open elsewhere only leaves the directory behind.
/// </remarks>
internal sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">Starts the directory's name, so a leftover can be traced to its test.</param>
    public TempDirectory(string prefix = "tether-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the directory (nothing is created).</summary>
    public string Join(params string[] parts) => System.IO.Path.Join([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> inside the directory; returns the file's path.</summary>
    public string Write(string name, string content)
    {
        var file = Join(name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
