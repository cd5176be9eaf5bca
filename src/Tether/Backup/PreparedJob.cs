namespace Tether.Backup;

/// <summary>
/// A job whose paths passed the allowed-roots checks: each source resolved (realpath), the
/// folder name it lands in, and the destination root (resolved in local mode, as given in remote
/// mode). Immutable.
/// </summary>
internal sealed record PreparedJob(BackupJob Job, IReadOnlyList<PreparedSource> Sources, string DestRoot);

/// <summary>One source dir: where it is read and the folder under destRoot it lands in.</summary>
internal sealed record PreparedSource(string Resolved, string DestName, string DestDir);
