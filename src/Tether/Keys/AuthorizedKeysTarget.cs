using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.FileSystem;

namespace Tether.Keys;

/// <summary>
/// The authorized_keys file of a target user's home, reached without following any symlink under
/// that home (docs/protocol.md §6). The agent usually runs as root and the home belongs to the user
/// whose keys are synced, who may swap <c>~/.ssh</c> for a symlink to <c>/root/.ssh</c> or
/// <c>/etc</c> at any moment; every step here works on handles opened with no-follow, so such a
/// swap ends in a refusal, never a write, read or chmod elsewhere.
/// </summary>
/// <remarks>
/// <para>The home is the folder above the key file's folder (<c>~</c> for <c>~/.ssh/authorized_keys</c>);
/// its owner is the target user. The home comes from the host's configuration and is opened as
/// named (symlinks followed); the key folder and file below it are opened relative to it with no-follow. Each
/// must belong to the target user, root or the agent's own user; the file must be a regular file with one link (a hard
/// link to another file would be read into the new one). A missing folder is created 0700, a new
/// file 0600, both given to the target user (fchown) when the agent is root. The file is replaced
/// atomically: a temporary created exclusively in the folder, written, fsynced, owned and moded,
/// renamed over the old one, then the folder fsynced.</para>
/// <para>Not safe for concurrent use on the same file: callers serialize (one sync at a time).</para>
/// </remarks>
internal sealed class AuthorizedKeysTarget : IDisposable
{
    private const int FileMode0600 = 0x180;
    private const int FolderMode0700 = 0x1C0;
    private const string TempInfix = ".tether-";

    /// <summary>Longest authorized_keys read; a larger one is refused rather than rewritten.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    private readonly IOwnedTree _tree;
    private readonly SafeFileHandle _folder;
    private readonly string _folderPath;
    private readonly string _name;
    private readonly uint _uid;
    private readonly uint _gid;
    private readonly uint _self;

    private AuthorizedKeysTarget(IOwnedTree tree, SafeFileHandle folder, string folderPath, string name, uint uid, uint gid)
    {
        _tree = tree;
        _folder = folder;
        _folderPath = folderPath;
        _name = name;
        _uid = uid;
        _gid = gid;
        _self = tree.ProcessUid;
    }

    /// <summary>The file's full path, for messages.</summary>
    public string Path => System.IO.Path.Combine(_folderPath, _name);

    /// <summary>
    /// Opens the home and the key folder below it (creating the folder 0700 for the target user when
    /// missing, setting 0700 when it is looser).
    /// </summary>
    /// <exception cref="IOException">A symlink, a foreign owner or a wrong type on the way; the message says which.</exception>
    public static AuthorizedKeysTarget Open(IOwnedTree tree, string path)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var full = System.IO.Path.GetFullPath(path);
        var name = System.IO.Path.GetFileName(full);
        var folderPath = System.IO.Path.GetDirectoryName(full) ?? throw new IOException($"{full} has no folder");
        var homePath = System.IO.Path.GetDirectoryName(folderPath) ?? throw new IOException($"{folderPath} has no parent folder to own it");
        var folderName = System.IO.Path.GetFileName(folderPath);

        using var home = tree.OpenFolder(homePath);
        var homeEntry = tree.Stat(home, homePath);
        uint uid = homeEntry.Uid;
        uint gid = homeEntry.Gid;

        var folder = tree.TryOpenFolderAt(home, folderName, folderPath);
        try
        {
            if (folder is null)
            {
                tree.CreateFolderAt(home, folderName, FolderMode0700, folderPath);
                folder = tree.TryOpenFolderAt(home, folderName, folderPath) ?? throw new IOException($"{folderPath} vanished after it was created");
                GiveTo(tree, folder, uid, gid, folderPath);
            }

            var entry = tree.Stat(folder, folderPath);
            CheckOwner(entry, uid, tree.ProcessUid, folderPath);
            if (entry.Mode != FolderMode0700)
            {
                // OpenSSH's StrictModes refuses group/other-writable folders.
                tree.SetMode(folder, FolderMode0700, folderPath);
            }

            var target = new AuthorizedKeysTarget(tree, folder, folderPath, name, uid, gid);
            folder = null;
            return target;
        }
        finally
        {
            folder?.Dispose();
        }
    }

    /// <summary>The current bytes (empty when the file does not exist); refuses a file the target user could not own.</summary>
    public byte[] ReadExisting()
    {
        using var file = _tree.TryOpenFileAt(_folder, _name, Path);
        if (file is null)
        {
            return [];
        }

        var entry = CheckExisting(file);
        if (entry.Size > MaxFileBytes)
        {
            throw new IOException($"{Path} is larger than {MaxFileBytes.ToString(CultureInfo.InvariantCulture)} bytes; not touched");
        }

        var bytes = new byte[entry.Size];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(file, bytes.AsSpan(read), read);
            if (n == 0)
            {
                Array.Resize(ref bytes, read);
                break;
            }

            read += n;
        }

        return bytes;
    }

    /// <summary>Sets 0600 on the existing file (a sync that adds nothing still fixes a loose mode).</summary>
    public void FixMode()
    {
        using var file = _tree.TryOpenFileAt(_folder, _name, Path);
        if (file is not null && CheckExisting(file).Mode != FileMode0600)
        {
            _tree.SetMode(file, FileMode0600, Path);
        }
    }

    /// <summary>Replaces the file atomically with <paramref name="existing"/> followed by <paramref name="appendix"/>.</summary>
    public void WriteAtomically(ReadOnlySpan<byte> existing, ReadOnlySpan<byte> appendix)
    {
        var prefix = "." + _name + TempInfix;
        RemoveStaleTemporaries(prefix);
        var temp = prefix + Guid.NewGuid().ToString("N")[..12];
        var tempPath = System.IO.Path.Combine(_folderPath, temp);
        try
        {
            using (var file = _tree.CreateFileAt(_folder, temp, FileMode0600, tempPath))
            {
                RandomAccess.Write(file, existing, 0);
                RandomAccess.Write(file, appendix, existing.Length);
                _tree.Sync(file, tempPath);
                GiveTo(_tree, file, _uid, _gid, tempPath);

                // The create mode is filtered by the umask; set it exactly.
                _tree.SetMode(file, FileMode0600, tempPath);
            }

            _tree.RenameAt(_folder, temp, _name, Path);
        }
        catch
        {
            try
            {
                _tree.DeleteAt(_folder, temp, tempPath);
            }
            catch (IOException)
            {
            }

            throw;
        }

        _tree.Sync(_folder, _folderPath);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// Deletes temporaries a killed agent left behind (syncs are serialized, so none is being written).
    /// The names come from a listing by path, but each is removed relative to the folder handle, and
    /// removing a name never follows it.
    /// </summary>
    private void RemoveStaleTemporaries(string prefix)
    {
        IEnumerable<string> names;
        try
        {
            names = [.. Directory.EnumerateFileSystemEntries(_folderPath, prefix + "*").Select(System.IO.Path.GetFileName).OfType<string>()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var stale in names)
        {
            try
            {
                _tree.DeleteAt(_folder, stale, System.IO.Path.Combine(_folderPath, stale));
            }
            catch (IOException)
            {
            }
        }
    }

    private OwnedEntry CheckExisting(SafeFileHandle file)
    {
        var entry = _tree.Stat(file, Path);
        if (entry.Kind != FileKind.File)
        {
            throw new IOException($"{Path} is not a regular file; not touched");
        }

        if (entry.Links != 1)
        {
            throw new IOException($"{Path} has {entry.Links.ToString(CultureInfo.InvariantCulture)} hard links; refusing to read or replace it");
        }

        CheckOwner(entry, _uid, _self, Path);
        return entry;
    }

    /// <summary>What root creates for the target user becomes theirs; an agent that is not root can give nothing away.</summary>
    private static void GiveTo(IOwnedTree tree, SafeFileHandle handle, uint uid, uint gid, string path)
    {
        if (tree.ProcessUid == 0 && tree.Stat(handle, path).Uid != uid)
        {
            tree.SetOwner(handle, uid, gid, path);
        }
    }

    private static void CheckOwner(OwnedEntry entry, uint uid, uint self, string path)
    {
        if (entry.Uid != uid && entry.Uid != 0 && entry.Uid != self)
        {
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture,
                $"{path} belongs to uid {entry.Uid}, not to the home's owner (uid {uid}) or root; refusing to use it"));
        }
    }
}
