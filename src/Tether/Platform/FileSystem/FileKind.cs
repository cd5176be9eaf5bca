namespace Tether.Platform.FileSystem;

/// <summary>The entry types a backup handles; <see cref="Other"/> (devices, fifos, sockets) is skipped.</summary>
internal enum FileKind
{
    Other,
    Directory,
    File,
    Symlink,
}
