using System.Text;
using Tether.Keys;

namespace Tether.Tests.Keys;

public sealed class OpenSshPublicKeyTests
{
    [Fact]
    public void TryParse_KnownTypes_Accepted()
    {
        foreach (var line in new[] { KeyMaterial.Ed25519(1), KeyMaterial.Rsa(2), KeyMaterial.Ecdsa256(3), KeyMaterial.Ed25519(4, "alice@laptop") })
        {
            Assert.True(OpenSshPublicKey.TryParse(line, out var key), line);
            Assert.StartsWith(key.Type + " ", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryParse_Comment_IsKeptButNotPartOfTheIdentity()
    {
        Assert.True(OpenSshPublicKey.TryParse(KeyMaterial.Ed25519(1, "a b c"), out var key));
        Assert.Equal("a b c", key.Comment);
        Assert.True(OpenSshPublicKey.TryParse(KeyMaterial.Ed25519(1), out var bare));
        Assert.Equal(bare.Identity, key.Identity);
    }

    public static TheoryData<string> BadLines()
    {
        var ed = KeyMaterial.Ed25519(1);
        var blob = ed.Split(' ')[1];
        return new TheoryData<string>
        {
            "garbage",
            "ssh-ed25519",
            "ssh-dss " + KeyMaterial.Blob("ssh-dss", [1], [2], [3], [4]),
            "ssh-ed25519 !!!notbase64!!!",
            "ssh-ed25519 " + blob[..^4],                                            // truncated
            "ssh-rsa " + blob,                                                      // type mismatch
            "ssh-ed25519 " + KeyMaterial.Blob("ssh-ed25519", new byte[31]),         // wrong key size
            "ssh-ed25519 " + KeyMaterial.Blob("ssh-ed25519", new byte[32], [1]),    // extra field
            "ecdsa-sha2-nistp256 " + KeyMaterial.Blob("ecdsa-sha2-nistp256", Encoding.ASCII.GetBytes("nistp384"), [4]),
            "ssh-ed25519 " + blob + " comment\u0007bell",
            "ssh-ed25519 " + blob[..10] + "\n" + blob[10..],
            "command=\"id\" " + ed,                                                 // options not accepted from the fetch
            "<html>",
        };
    }

    [Theory]
    [MemberData(nameof(BadLines))]
    public void TryParse_Malformed_Refused(string line) => Assert.False(OpenSshPublicKey.TryParse(line, out _));

    [Fact]
    public void TryParseAuthorizedKeysLine_WithOptions_FindsTheKey()
    {
        var ed = KeyMaterial.Ed25519(9, "bob");
        Assert.True(OpenSshPublicKey.TryParseAuthorizedKeysLine("from=\"10.0.0.1\",command=\"echo a b\" " + ed, out var key));
        Assert.True(OpenSshPublicKey.TryParse(ed, out var plain));
        Assert.Equal(plain.Identity, key.Identity);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# a comment")]
    [InlineData("not a key at all")]
    public void TryParseAuthorizedKeysLine_NoKey_False(string line) => Assert.False(OpenSshPublicKey.TryParseAuthorizedKeysLine(line, out _));

    [Theory]
    [InlineData("octocat", true)]
    [InlineData("a", true)]
    [InlineData("a-b-c", true)]
    [InlineData("A1234567890123456789012345678901234567", true)]
    [InlineData("A12345678901234567890123456789012345678", true)]
    [InlineData("A123456789012345678901234567890123456789", false)]
    [InlineData("", false)]
    [InlineData("-abc", false)]
    [InlineData("../etc", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("a.keys", false)]
    [InlineData("é", false)]
    [InlineData("a%2fb", false)]
    public void KeySyncUser_IsValid(string user, bool valid) => Assert.Equal(valid, KeySyncUser.IsValid(user));
}
