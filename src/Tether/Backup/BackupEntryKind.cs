namespace Tether.Backup;

/// <summary>The entry types a backup handles; <see cref="Other"/> (devices, fifos, sockets) is skipped.</summary>
internal enum BackupEntryKind
{
    Other,
    Directory,
    File,
    Symlink,
}
