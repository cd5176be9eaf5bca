using Tether.Platform.FileSystem;

namespace Tether.Backup;

/// <summary>
/// A planned folder with its files and symlinks (<see cref="Items"/>) and its sub-folders, in
/// plan order: the shape <see cref="LocalCopier"/> walks with folder handles. Built once per
/// source; immutable afterwards.
/// </summary>
internal sealed class PlannedFolder(BackupEntry entry)
{
    public BackupEntry Entry { get; } = entry;

    public List<BackupEntry> Items { get; } = [];

    public List<PlannedFolder> Folders { get; } = [];

    /// <summary>The last component of an entry's '/'-separated relative path.</summary>
    public static string NameOf(BackupEntry e) => e.RelativePath[(e.RelativePath.LastIndexOf('/') + 1)..];

    /// <summary>The tree of a source's entries (pre-order, root first, as the planner lists them).</summary>
    public static PlannedFolder Build(IReadOnlyList<BackupEntry> entries)
    {
        var root = new PlannedFolder(entries[0]);
        var folders = new Dictionary<string, PlannedFolder>(StringComparer.Ordinal) { [string.Empty] = root };
        for (int i = 1; i < entries.Count; i++)
        {
            var e = entries[i];
            int slash = e.RelativePath.LastIndexOf('/');
            var parent = folders[slash < 0 ? string.Empty : e.RelativePath[..slash]];
            if (e.Kind == FileKind.Directory)
            {
                var folder = new PlannedFolder(e);
                parent.Folders.Add(folder);
                folders[e.RelativePath] = folder;
            }
            else if (e.Kind is FileKind.File or FileKind.Symlink)
            {
                parent.Items.Add(e);
            }
        }

        return root;
    }
}
