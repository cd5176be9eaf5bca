namespace Tether.Backup;

/// <summary>One source dir of a job: where it is read, where it lands, and its selected entries in pre-order (root first, names sorted). Immutable once built.</summary>
internal sealed record SourcePlan(string SourceDir, string DestDir, string DestName, IReadOnlyList<BackupEntry> Entries);
