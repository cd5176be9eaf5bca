using System.Text;
using Tether.Keys;

namespace Tether.Tests.Keys;

public sealed class AuthorizedKeysMergeTests
{
    [Fact]
    public void Plan_NewKeysAppended_DuplicatesAndGarbageDropped()
    {
        var existingKey = KeyMaterial.Ed25519(1, "old");
        var existing = Encoding.UTF8.GetBytes("# keep me\nno-pty " + existingKey + "\n");
        var fetched = string.Join('\n', KeyMaterial.Ed25519(1), KeyMaterial.Rsa(2), "garbage line", KeyMaterial.Ecdsa256(3), KeyMaterial.Rsa(2), "") + "\n";
        var plan = AuthorizedKeysMerge.Plan(existing, fetched);
        Assert.Equal(2, plan.Added);
        Assert.Equal(1, plan.Invalid);
        Assert.Equal(2, plan.Duplicates);
        Assert.Equal(KeyMaterial.Rsa(2) + "\n" + KeyMaterial.Ecdsa256(3) + "\n", Encoding.UTF8.GetString(plan.Appendix));
    }

    [Fact]
    public void Plan_FileWithoutFinalNewline_AppendixStartsWithOne()
    {
        var plan = AuthorizedKeysMerge.Plan("# no newline"u8, KeyMaterial.Ed25519(5));
        Assert.Equal("\n" + KeyMaterial.Ed25519(5) + "\n", Encoding.UTF8.GetString(plan.Appendix));
    }

    [Fact]
    public void Plan_NothingNew_EmptyAppendix()
    {
        var plan = AuthorizedKeysMerge.Plan(Encoding.UTF8.GetBytes(KeyMaterial.Ed25519(5, "x") + "\r\n"), KeyMaterial.Ed25519(5) + "\r\n");
        Assert.Equal(0, plan.Added);
        Assert.Empty(plan.Appendix);
    }

    [Fact]
    public void Plan_EmptyFile_NoLeadingNewline()
    {
        var plan = AuthorizedKeysMerge.Plan([], KeyMaterial.Ed25519(5));
        Assert.Equal(KeyMaterial.Ed25519(5) + "\n", Encoding.UTF8.GetString(plan.Appendix));
    }
}
