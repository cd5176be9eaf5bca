using System.Runtime.Versioning;
using Tether.Keys;

namespace Tether.Tests.Keys;

[SupportedOSPlatform("linux")]
public sealed class AuthorizedKeysFileTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _home = new("tether-akf-");

    public void Dispose() => _home.Dispose();

    [Fact]
    public void WriteAtomically_KeepsTheOldBytesThenTheAppendix_Mode0600_NoTemporaryLeft()
    {
        var ssh = _home.Join(".ssh");
        var file = Path.Combine(ssh, "authorized_keys");
        AuthorizedKeysFile.PrepareDirectory(file);
        Assert.Equal(Mode0600 | UnixFileMode.UserExecute, File.GetUnixFileMode(ssh));
        byte[] old = [0x23, 0x20, 0xFF, 0x0D, 0x0A]; // not even UTF-8: kept byte for byte
        File.WriteAllBytes(file, old);
        File.WriteAllBytes(Path.Combine(ssh, ".authorized_keys.tether-stale"), [1, 2, 3]);

        AuthorizedKeysFile.WriteAtomically(file, AuthorizedKeysFile.ReadExisting(file), "ssh-ed25519 AAAA\n"u8);

        Assert.Equal([.. old, .. "ssh-ed25519 AAAA\n"u8.ToArray()], File.ReadAllBytes(file));
        Assert.Equal(Mode0600, File.GetUnixFileMode(file));
        Assert.Equal([file], Directory.GetFiles(ssh));
    }

    [Fact]
    public void ReadExisting_MissingFileOrDirectory_IsEmpty()
    {
        Assert.Empty(AuthorizedKeysFile.ReadExisting(_home.Join("nope", "authorized_keys")));
        Assert.Empty(AuthorizedKeysFile.ReadExisting(_home.Join("authorized_keys")));
    }
}
