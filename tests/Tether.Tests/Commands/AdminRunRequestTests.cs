using System.Text.Json;
using Tether.Commands;

namespace Tether.Tests.Commands;

public sealed class AdminRunRequestTests
{
    private static bool Parse(string json, out AdminRunRequest? request, out JsonElement? token, out string? command, out string? error)
    {
        using var doc = JsonDocument.Parse(json);
        return AdminRunRequest.TryParse(doc.RootElement, out request, out token, out command, out error);
    }

    [Fact]
    public void TryParse_FullRequest_ReadsEveryField()
    {
        Assert.True(Parse("""{"token":"t1","cmd":{"command":"ls -la","timeoutSec":5,"cwd":"/tmp","env":{"LANG":"C"}}}""", out var r, out _, out _, out _));
        Assert.Equal("t1", AdminRunRequest.TokenText(r!.Token));
        Assert.Equal("ls -la", r.Command);
        Assert.Equal(5, r.TimeoutSec);
        Assert.Equal("/tmp", r.Cwd);
        Assert.Equal(new KeyValuePair<string, string>("LANG", "C"), Assert.Single(r.Env!));
    }

    [Theory]
    [InlineData("t1\\n2026-01-01 ERR forged", "U+000A at offset 2")]
    [InlineData("t\\u001b[2J", "U+001B at offset 1")]
    [InlineData("t\\u202e", "U+202E at offset 1")]
    [InlineData("t\\u0000", "U+0000 at offset 1")]
    public void TryParse_TokenWithControlCharacters_IsInvalid_ButStillEchoed(string jsonToken, string where)
    {
        Assert.False(Parse($$$"""{"token":"{{{jsonToken}}}","cmd":{"command":"echo"}}""", out var r, out var token, out _, out var error));
        Assert.Null(r);
        Assert.Equal($"token must not contain control or bidi characters ({where})", error);
        Assert.NotNull(token);
    }

    [Fact]
    public void TryParse_CommandPast64KiB_IsInvalid_BeforeAnythingElse()
    {
        var command = new string('a', AdminRunRequest.MaxCommandLength + 1);
        Assert.False(Parse($$$"""{"token":"t","cmd":{"command":"{{{command}}}","timeoutSec":"not even looked at"}}""", out _, out _, out var echoed, out var error));
        Assert.Equal($"cmd.command is too long ({AdminRunRequest.MaxCommandLength + 1} characters, at most 65536)", error);
        Assert.Equal(command, echoed);

        Assert.True(Parse($$$"""{"token":"t","cmd":{"command":"{{{command[1..]}}}"}}""", out _, out _, out _, out _));
    }

    [Fact]
    public void TryParse_NumericToken_IsKeptAsANumber()
    {
        Assert.True(Parse("""{"token":42,"cmd":{"command":"echo"}}""", out var r, out _, out _, out _));
        Assert.Equal(JsonValueKind.Number, r!.Token!.Value.ValueKind);
        Assert.Equal("42", AdminRunRequest.TokenText(r.Token));
    }

    [Theory]
    [InlineData("[]", false, false)]
    [InlineData("\"echo\"", false, false)]
    [InlineData("""{"token":"t"}""", true, false)]
    [InlineData("""{"token":"t","cmd":"echo"}""", true, false)]
    [InlineData("""{"token":"t","cmd":{"command":7}}""", true, false)]
    [InlineData("""{"token":{},"cmd":{"command":"echo"}}""", false, false)]
    [InlineData("""{"token":"t","cmd":{"command":"echo","timeoutSec":0}}""", true, true)]
    [InlineData("""{"token":"t","cmd":{"command":"echo","timeoutSec":1.5}}""", true, true)]
    [InlineData("""{"token":"t","cmd":{"command":"echo","timeoutSec":"5"}}""", true, true)]
    [InlineData("""{"token":"t","cmd":{"command":"echo","cwd":3}}""", true, true)]
    [InlineData("""{"token":"t","cmd":{"command":"echo","env":[]}}""", true, true)]
    [InlineData("""{"token":"t","cmd":{"command":"echo","env":{"A":1}}}""", true, true)]
    public void TryParse_WrongShape_FailsWithWhatCanBeEchoed(string json, bool hasToken, bool hasCommand)
    {
        Assert.False(Parse(json, out _, out var token, out var command, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Equal(hasToken, token is not null);
        Assert.Equal(hasCommand, command is not null);
    }

    [Fact]
    public void TryParse_EnvError_NeverContainsTheValue()
    {
        Assert.False(Parse("""{"cmd":{"command":"echo","env":{"SECRET":{"v":"hunter2"}}}}""", out _, out _, out _, out var error));
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooLongToken_Fails()
    {
        var json = "{\"token\":\"" + new string('t', AdminRunRequest.MaxTokenLength + 1) + "\",\"cmd\":{\"command\":\"echo\"}}";
        Assert.False(Parse(json, out _, out _, out _, out _));
    }
}
