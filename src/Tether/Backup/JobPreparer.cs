using Tether.Config;
using Tether.Policy;

namespace Tether.Backup;

/// <summary>
/// Checks a job's paths before anything is read or written (docs/protocol.md §5): sources and (local)
/// destination resolved and held against <c>allowedSourceRoots</c>/<c>allowedDestRoots</c> (an
/// empty list refuses every backup, like the admin allowlist); remote paths, user and host safe
/// for the remote shell. Reads the filesystem, writes nothing.
/// </summary>
internal static class JobPreparer
{
    public static bool TryPrepare(BackupJob job, BackupSettings settings, out PreparedJob? prepared, out string error)
    {
        prepared = null;
        if (settings.AllowedSourceRoots.Count == 0 || settings.AllowedDestRoots.Count == 0)
        {
            error = "backups are not allowed on this host: backup.allowedSourceRoots and backup.allowedDestRoots must both name the allowed roots (none are configured)";
            return false;
        }

        var sources = new List<PreparedSource>();
        string destRoot;
        if (job.IsLocal)
        {
            var dest = PathPolicy.IsUnderAllowedRoot(job.DestRoot, settings.AllowedDestRoots, pathMustExist: false);
            if (!dest.IsAllowed)
            {
                error = "destRoot refused: " + dest.Reason + " (backup.allowedDestRoots)";
                return false;
            }

            destRoot = dest.ResolvedPath!;
        }
        else
        {
            if (RemoteTarget.CheckUserHost(job.User, job.Host) is { } bad)
            {
                error = bad;
                return false;
            }

            if (RemoteTarget.CheckRemotePath(job.DestRoot, "destRoot") is { } badPath)
            {
                error = badPath;
                return false;
            }

            destRoot = job.DestRoot.TrimEnd('/');
            if (!settings.AllowedDestRoots.Any(r => IsLexicallyUnder(destRoot, r)))
            {
                error = $"destRoot '{job.DestRoot}' is not under an allowed root (backup.allowedDestRoots)";
                return false;
            }
        }

        foreach (var source in job.SourceDirs)
        {
            var check = PathPolicy.IsUnderAllowedRoot(source, settings.AllowedSourceRoots, pathMustExist: true);
            if (!check.IsAllowed)
            {
                error = "source refused: " + check.Reason + " (backup.allowedSourceRoots)";
                return false;
            }

            string resolved = check.ResolvedPath!;
            if (!Directory.Exists(resolved))
            {
                error = $"source '{source}' is not a directory";
                return false;
            }

            string name = Path.GetFileName(source.TrimEnd('/'));
            if (name is "" or "." or "..")
            {
                error = $"source '{source}' has no folder name to land under destRoot";
                return false;
            }

            if (!job.IsLocal && RemoteTarget.CheckRemotePath("/" + name, "source folder name") is { } badName)
            {
                error = badName;
                return false;
            }

            if (sources.Any(s => s.DestName == name))
            {
                error = $"two source dirs would land in the same folder '{name}'";
                return false;
            }

            string destDir = job.IsLocal ? Path.Join(destRoot, name) : destRoot + "/" + name;
            if (job.IsLocal && (IsLexicallyUnder(destDir, resolved) || IsLexicallyUnder(resolved, destDir)))
            {
                error = $"source '{source}' and its destination '{destDir}' overlap";
                return false;
            }

            sources.Add(new PreparedSource(resolved, name, destDir));
        }

        prepared = new PreparedJob(job, sources, destRoot);
        error = string.Empty;
        return true;
    }

    private static bool IsLexicallyUnder(string path, string root)
    {
        string p = path.TrimEnd('/');
        string r = root.TrimEnd('/');
        return r.Length == 0 || p == r || p.StartsWith(r + "/", StringComparison.Ordinal);
    }
}
