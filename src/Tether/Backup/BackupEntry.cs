using Tether.Platform.FileSystem;
namespace Tether.Backup;

/// <summary>
/// One selected entry of a source dir. <see cref="RelativePath"/> is '/'-separated from the
/// transfer root; the root itself has an empty path. <see cref="Dest"/> is the destination's
/// lstat when something exists there. Immutable.
/// </summary>
internal sealed record BackupEntry(string RelativePath, FileStat Stat, string? LinkTarget, FileStat? Dest)
{
    public FileKind Kind => Stat.Kind;

    /// <summary>A regular file that a start would create or update (missing at the destination, or size/mtime differ).</summary>
    public bool Modifies => Kind == FileKind.File && !(Dest is { } d && Stat.SameContentAs(d));
}
