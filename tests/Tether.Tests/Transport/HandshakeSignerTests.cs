using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class HandshakeSignerTests
{
    // Expected values were produced by Node.js 20:
    // crypto.createHmac('sha256', 'secret-token').update(JSON.stringify({clientId, ts})).digest('hex')
    [Theory]
    [InlineData("agent-1", "{\"clientId\":\"agent-1\",\"ts\":1764423000123}", "1d7b89bf4743ca541de2ea09d41ce74f97c0b97521a1eb083972d57fee9eb16a")]
    [InlineData("a\"b\\c", "{\"clientId\":\"a\\\"b\\\\c\",\"ts\":1764423000123}", "97d5fbc59e181fbd9f512ddbd4736891db5898b081575faeb1a287c113a91a6a")]
    [InlineData("<>&", "{\"clientId\":\"<>&\",\"ts\":1764423000123}", "976a3d9dadc18694313b0d3610ae52f64e7248576507d4ed247c836c073c9f64")]
    [InlineData("é", "{\"clientId\":\"é\",\"ts\":1764423000123}", "3cfd897d76a65ecf324285b0fa990e35c2b16d642507a9d8b86c9b329ec0b5b0")]
    [InlineData("中", "{\"clientId\":\"中\",\"ts\":1764423000123}", "06753bf3e7e0b5c0164fdea5b06ace6abcb4b8335a88fea2bd6bfa1b13fb4abe")]
    [InlineData("😀", "{\"clientId\":\"😀\",\"ts\":1764423000123}", "993ccceaa8dcc0a1f3c3d495a95d765b0c540768cd2e85fecda7f68fd1bf78ff")]
    [InlineData("tab\there\nnl\u0001\u001f", "{\"clientId\":\"tab\\there\\nnl\\u0001\\u001f\",\"ts\":1764423000123}", "05060b56788f9c6d1e86cd9b776c8ba4d1813cf7214ce1678e549bda2842c954")]
    [InlineData("", "{\"clientId\":\"\",\"ts\":1764423000123}", "cd0ef44afc57560537085f913e3aed1ec1dcb4a0117cec021eca21972a00b12c")]
    public void Sign_MatchesNodeJsonStringifyAndHmac(string clientId, string expectedJson, string expectedSig)
    {
        Assert.Equal(expectedJson, HandshakeSigner.StringifyJs(clientId, 1764423000123));
        Assert.Equal(expectedSig, HandshakeSigner.Sign(clientId, 1764423000123, "secret-token"));
    }

    [Fact]
    public void Sign_LoneSurrogate_IsEscapedLikeWellFormedJsonStringify()
    {
        // Kept out of [InlineData]: attribute metadata cannot carry a lone surrogate.
        string clientId = "lone" + (char)0xD800 + "x";
        Assert.Equal("{\"clientId\":\"lone\\ud800x\",\"ts\":1764423000123}", HandshakeSigner.StringifyJs(clientId, 1764423000123));
        Assert.Equal("0b18160c620c8f6094d9aba4a91b97571d384033638d07699b8a05d6d507bc17", HandshakeSigner.Sign(clientId, 1764423000123, "secret-token"));
    }

    [Fact]
    public void Sign_DiffersForAnotherTimestampOrToken()
    {
        string a = HandshakeSigner.Sign("agent-1", 1, "t");
        Assert.NotEqual(a, HandshakeSigner.Sign("agent-1", 2, "t"));
        Assert.NotEqual(a, HandshakeSigner.Sign("agent-1", 1, "u"));
        Assert.Matches("^[0-9a-f]{64}$", a);
    }
}
