using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.FileSystem;

/// <summary>
/// A folder opened by <see cref="IFileSystem"/> for walking without paths: on Linux and macOS an
/// open descriptor (every later open, create, rename and delete is relative to it, so swapping a
/// folder on the way for a symlink cannot redirect them); on Windows only the path (System.IO has
/// no relative opens). <see cref="Path"/> names it in errors. Dispose closes it.
/// </summary>
internal sealed class FolderHandle(string path, SafeFileHandle? handle) : IDisposable
{
    public string Path { get; } = path;

    /// <summary>The open descriptor; null on Windows.</summary>
    public SafeFileHandle? Handle { get; } = handle;

    public string Join(string name) => System.IO.Path.Join(Path, name);

    public void Dispose() => Handle?.Dispose();
}
