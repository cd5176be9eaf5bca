using System.Diagnostics;
using System.Text;
using Tether.Backup;
using Tether.Platform.FileSystem;

namespace Tether.Tests.Backup;

/// <summary>The real rsync as the oracle, and tree snapshots to compare results.</summary>
internal static class RsyncOracle
{
    /// <summary>The entries <c>rsync -a --dry-run</c> would transfer from src/ to an empty dest: "./", "dir/", "file", "link".</summary>
    public static SortedSet<string> DryRun(string src, string dest, IEnumerable<string> globs)
    {
        var args = new List<string> { "-a", "--dry-run", "--out-format=%n" };
        args.AddRange(globs.Select(g => "--exclude=" + g));
        args.Add(src.TrimEnd('/') + "/");
        args.Add(dest.TrimEnd('/') + "/");
        string output = Run(args);
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            set.Add(Unescape(line));
        }

        return set;
    }

    public static void Copy(string src, string dest, IEnumerable<string> globs)
    {
        var args = new List<string> { "-a" };
        args.AddRange(globs.Select(g => "--exclude=" + g));
        args.Add(src.TrimEnd('/') + "/");
        args.Add(dest.TrimEnd('/') + "/");
        Run(args);
    }

    /// <summary>The planner's selection in rsync's dry-run spelling.</summary>
    public static SortedSet<string> Selection(SourcePlan plan)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in plan.Entries)
        {
            set.Add(e.RelativePath.Length == 0 ? "./" : e.Kind == FileKind.Directory ? e.RelativePath + "/" : e.RelativePath);
        }

        return set;
    }

    /// <summary>Every entry under <paramref name="root"/> with type, size, mode, owner and group, mtime (ns), link target and a content hash.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(string rel)
        {
            string path = rel.Length == 0 ? root : Path.Join(root, rel);
            Assert.True(FileSystems.Current.TryLstat(path, out var st, out _), path);
            string extra = st.Kind switch
            {
                FileKind.File => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))[..16],
                FileKind.Symlink => "-> " + new FileInfo(path).LinkTarget,
                _ => string.Empty,
            };
            long size = st.Kind == FileKind.File ? st.Size : 0;
            result[rel.Length == 0 ? "." : rel] = $"{st.Kind} size={size} mode={Convert.ToString(st.Mode, 8)} owner={st.Uid}:{st.Gid} mtime={st.MtimeSec}.{st.MtimeNsec:D9} {extra}";
            if (st.Kind == FileKind.Directory)
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(path))
                {
                    string name = Path.GetFileName(child);
                    Walk(rel.Length == 0 ? name : rel + "/" + name);
                }
            }
        }

        Walk(string.Empty);
        return result;
    }

    public static string Run(IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("rsync") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["LC_ALL"] = "C.UTF-8";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"rsync {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
        return stdout;
    }

    // rsync prints unprintable bytes as \#ooo.
    private static string Unescape(string line)
    {
        var bytes = new List<byte>();
        byte[] raw = Encoding.UTF8.GetBytes(line);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 4 < raw.Length && raw[i + 1] == '#')
            {
                bytes.Add(Convert.ToByte(Encoding.ASCII.GetString(raw, i + 2, 3), 8));
                i += 4;
                continue;
            }

            bytes.Add(raw[i]);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
