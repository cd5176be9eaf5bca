using System.Diagnostics;
using System.Runtime.Versioning;
using Tether.Keys;
using Tether.Platform.FileSystem;

namespace Tether.Tests.Keys;

/// <summary>AuthorizedKeysTarget on real files with the real Linux tree: every refusal leaves the files as they were.</summary>
[SupportedOSPlatform("linux")]
public sealed class AuthorizedKeysTargetTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _home = new("tether-akt-");
    private readonly TempDirectory _outside = new("tether-akt-out-");

    public void Dispose()
    {
        _home.Dispose();
        _outside.Dispose();
    }

    private static IOwnedTree Tree => OwnedTrees.Current!;

    private string KeyFile => _home.Join(".ssh", "authorized_keys");

    [Fact]
    public void MissingFolder_IsCreated0700_FileWrittenAtomically0600_StaleTemporariesGone()
    {
        using (var target = AuthorizedKeysTarget.Open(Tree, KeyFile))
        {
            Assert.Empty(target.ReadExisting());
            File.WriteAllBytes(_home.Join(".ssh", ".authorized_keys.tether-stale"), [1]);
            target.WriteAtomically("# old\n"u8, "ssh-ed25519 AAAA\n"u8);
        }

        Assert.Equal("# old\nssh-ed25519 AAAA\n", File.ReadAllText(KeyFile));
        Assert.Equal(Mode0600, File.GetUnixFileMode(KeyFile));
        Assert.Equal(Mode0600 | UnixFileMode.UserExecute, File.GetUnixFileMode(_home.Join(".ssh")));
        Assert.Equal([KeyFile], Directory.GetFileSystemEntries(_home.Join(".ssh")));
    }

    [Fact]
    public void SshFolderIsASymlink_Refused_NothingCreatedOrChangedBehindIt()
    {
        File.SetUnixFileMode(_outside.Path, (UnixFileMode)0x1ED); // 0755
        File.CreateSymbolicLink(_home.Join(".ssh"), _outside.Path);

        var error = Assert.Throws<IOException>(() => AuthorizedKeysTarget.Open(Tree, KeyFile));

        Assert.Contains($"{_home.Join(".ssh")} is", error.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_outside.Path));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(_outside.Path));
    }

    [Fact]
    public void KeyFileIsASymlink_Refused_TargetNeitherReadNorReplaced()
    {
        Directory.CreateDirectory(_home.Join(".ssh"));
        var secret = _outside.Write("shadow", "root:secret\n");
        File.CreateSymbolicLink(KeyFile, secret);

        using var target = AuthorizedKeysTarget.Open(Tree, KeyFile);
        var error = Assert.Throws<IOException>(target.ReadExisting);

        Assert.Equal($"{KeyFile} is a symbolic link; refusing to follow it", error.Message);
        Assert.Throws<IOException>(target.FixMode);
        Assert.Equal("root:secret\n", File.ReadAllText(secret));
    }

    [Fact]
    public void KeyFileWithASecondHardLink_Refused_NotRead()
    {
        Directory.CreateDirectory(_home.Join(".ssh"));
        var secret = _outside.Write("secret", "private\n");
        Link(secret, KeyFile);

        using var target = AuthorizedKeysTarget.Open(Tree, KeyFile);
        var error = Assert.Throws<IOException>(target.ReadExisting);

        Assert.Equal($"{KeyFile} has 2 hard links; refusing to read or replace it", error.Message);
    }

    [Fact]
    public void KeyFileOfAnotherUser_Refused()
    {
        Directory.CreateDirectory(_home.Join(".ssh"));
        File.WriteAllText(KeyFile, "ssh-ed25519 AAAA\n");
        Run("chown", "54321:54321", KeyFile);

        using var target = AuthorizedKeysTarget.Open(Tree, KeyFile);
        var error = Assert.Throws<IOException>(target.ReadExisting);

        Assert.Contains("belongs to uid 54321, not to the home's owner (uid 0) or root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SshFolderOfAnotherUser_Refused_ModeUnchanged()
    {
        var ssh = Directory.CreateDirectory(_home.Join(".ssh")).FullName;
        File.SetUnixFileMode(ssh, (UnixFileMode)0x1ED);
        Run("chown", "54321:54321", ssh);

        var error = Assert.Throws<IOException>(() => AuthorizedKeysTarget.Open(Tree, KeyFile));

        Assert.Contains("belongs to uid 54321", error.Message, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(ssh));
    }

    [Fact]
    public void HomeOfAnotherUser_CreatedFilesBelongToThatUser()
    {
        Run("chown", "54321:54322", _home.Path);

        using (var target = AuthorizedKeysTarget.Open(Tree, KeyFile))
        {
            target.WriteAtomically([], "ssh-ed25519 AAAA\n"u8);
        }

        Assert.Equal("54321:54322", Run("stat", "-c", "%u:%g", _home.Join(".ssh")));
        Assert.Equal("54321:54322", Run("stat", "-c", "%u:%g", KeyFile));
    }

    [Fact]
    public void KeyFileIsAFifo_RefusedWithoutBlocking()
    {
        Directory.CreateDirectory(_home.Join(".ssh"));
        Run("mkfifo", KeyFile);

        using var target = AuthorizedKeysTarget.Open(Tree, KeyFile);
        var error = Assert.Throws<IOException>(target.ReadExisting);

        Assert.Equal($"{KeyFile} is not a regular file; not touched", error.Message);
    }

    private static void Link(string existing, string link) => Run("ln", existing, link);

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {output}");
        return output.Trim();
    }
}
