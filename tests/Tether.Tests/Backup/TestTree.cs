using System.Text;
using Tether.Platform.FileSystem;

namespace Tether.Tests.Backup;

/// <summary>Builds source trees for the oracle tests: files with chosen sizes, modes and mtimes, empty dirs, symlinks.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class TestTree(string root)
{
    private static readonly DateTime BaseTime = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private int _counter;

    public string Root { get; } = root;

    public TestTree Dir(string rel)
    {
        Directory.CreateDirectory(Path.Join(Root, rel));
        return this;
    }

    public TestTree File(string rel, int size = 10, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        string path = Path.Join(Root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var data = new byte[size];
        new Random(rel.GetHashCode(StringComparison.Ordinal)).NextBytes(data);
        System.IO.File.WriteAllBytes(path, data);
        System.IO.File.SetUnixFileMode(path, mode);
        System.IO.File.SetLastWriteTimeUtc(path, BaseTime.AddSeconds(++_counter).AddTicks(1234567 % 10_000_000));
        return this;
    }

    public TestTree Link(string rel, string target)
    {
        string path = Path.Join(Root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return this;
    }

    /// <summary>
    /// Sets owner and group (numbers; they need not exist) of an entry itself, never of a link's
    /// target, then its mode again (chown clears setuid/setgid). Needs root.
    /// </summary>
    public TestTree Own(string rel, int uid, int gid, UnixFileMode? mode = null)
    {
        string path = Path.Join(Root, rel);
        RunChecked("chown", "-h", $"{uid}:{gid}", path);
        if (mode is { } m)
        {
            System.IO.File.SetUnixFileMode(path, m);
        }

        return this;
    }

    /// <summary>The tree: nested and empty dirs, links in and out, odd names, a 0-byte and a large file, and names each pattern hits; some entries owned by other users, one setuid.</summary>
    public static TestTree Standard(string root, int largeBytes = 3 << 20)
    {
        var t = new TestTree(root);
        t.File("a.txt").File("b.txt").File("c.txt").File("ab.log").File("top-only").File("empty.dat", 0)
            .File("with space/x y.txt").File("line\nbreak.txt").File("ünïcødé/日本語.bin", 50)
            .File("cache/blob").File("cache/deep/blob2").File("sub/cache/c1")
            .File("sub/top-only").File("sub/a1.txt").File("sub/b2.log")
            .File("tmp/keep-top").File("sub/tmp/gone").File("sub/tmp/deeper/gone2").File("x/y/tmp/z")
            .File("dir/one.bin").File("dir/one.txt").File("sub/dir/two.bin").File("dir/nested/three.bin")
            .File("exec.sh", 20, (UnixFileMode)0b111_101_101).File("private", 5, (UnixFileMode)0b110_000_000)
            .File("big/large.bin", largeBytes)
            .Dir("empty-dir").Dir("sub/empty-nested/deeper")
            .Link("link-in", "a.txt").Link("sub/link-up", "../b.txt").Link("link-out", "/etc/hostname")
            .Link("link-dir", "sub").Link("dangling", "no/such/file").Link("cache-link", "cache")
            .File("suid-tool", 30, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Join(root, "cache-file-dir"));
        t.Own("suid-tool", 1000, 1000, (UnixFileMode)0b100_111_101_101)
            .Own("sub", 1000, 1001)
            .Own("sub/a1.txt", 1000, 1001)
            .Own("sub/link-up", 1002, 1003)
            .Own("ünïcødé", 1004, 0);
        return t.Freeze();
    }

    /// <summary>
    /// Gives every directory and symlink a past mtime with nanoseconds. rsync compares times to
    /// the second (modify-window 0), so it leaves a fresh directory's time alone when the source's
    /// falls in the same second; a past time makes that quirk irrelevant to the comparison.
    /// </summary>
    public TestTree Freeze()
    {
        var all = Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length).ToList();
        all.Add(Root);
        foreach (var path in all)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || Directory.Exists(path))
            {
                FileSystems.Current.SetTimes(path, 1_600_000_000 + (++_counter), 987_654_321, noFollow: true);
            }
        }

        return this;
    }

    internal static void RunChecked(string program, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {error}");
    }

    public static string Describe(string s) => Encoding.UTF8.GetByteCount(s) + ":" + s.Replace("\n", "\\n", StringComparison.Ordinal);
}
