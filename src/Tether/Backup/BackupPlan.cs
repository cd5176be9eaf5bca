using Tether.Platform.FileSystem;
namespace Tether.Backup;

/// <summary>
/// What a job would do (docs/protocol.md §5 <c>backup_plan</c>): regular files selected and their bytes
/// (directories and symlinks are copied but not counted), and the files a start would create
/// or update. Immutable.
/// </summary>
internal sealed class BackupPlan
{
    public BackupPlan(IReadOnlyList<SourcePlan> sources)
    {
        Sources = sources;
        foreach (var source in sources)
        {
            foreach (var e in source.Entries)
            {
                if (e.Kind != FileKind.File)
                {
                    continue;
                }

                TotalFiles++;
                TotalBytes += e.Stat.Size;
                if (e.Modifies)
                {
                    Modifies++;
                    ModifiedBytes += e.Stat.Size;
                }
            }
        }
    }

    public IReadOnlyList<SourcePlan> Sources { get; }

    public long TotalFiles { get; }

    public long TotalBytes { get; }

    public long Modifies { get; }

    public long ModifiedBytes { get; }

    /// <summary>The files a start would transfer, as they land under destRoot (<c>b/x/y</c>), in plan order.</summary>
    public IEnumerable<string> ModifiedPaths() =>
        Sources.SelectMany(s => s.Entries.Where(e => e.Modifies).Select(e => s.DestName + "/" + e.RelativePath));
}
