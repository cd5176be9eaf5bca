using System.Text.Json;
using Tether.Shell;

namespace Tether.Tests.Shell;

public sealed class ShellRequestTests
{
    [Fact]
    public void Start_WithoutSize_Defaults_To80x24()
    {
        Assert.True(ShellStartRequest.TryParse(Json("""{"session":"a"}"""), out var request, out _, out var unknown));
        Assert.Equal(new ShellStartRequest("a", 80, 24), request);
        Assert.Null(unknown);
    }

    [Fact]
    public void Start_ReportsAnUnknownMember_ButStillParses()
    {
        Assert.True(ShellStartRequest.TryParse(Json("""{"session":"a","cols":100,"rows":40,"type":"shell_start","user":"x"}"""), out var request, out _, out var unknown));
        Assert.Equal(new ShellStartRequest("a", 100, 40), request);
        Assert.Equal("user", unknown);
    }

    [Theory]
    [InlineData("""{"session":""}""")]
    [InlineData("""{"session":5}""")]
    [InlineData("""{"cols":80}""")]
    [InlineData("""{"session":"a\u0001b"}""")]
    [InlineData("""{"session":"a","cols":0}""")]
    [InlineData("""{"session":"a","rows":1001}""")]
    [InlineData("""{"session":"a","cols":"80"}""")]
    [InlineData("""[1]""")]
    [InlineData("""null""")]
    public void Start_WrongShapes_AreRejected(string json)
    {
        Assert.False(ShellStartRequest.TryParse(Json(json), out _, out var error, out _));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Session_Of128Characters_IsAccepted_129_IsNot()
    {
        Assert.True(ShellCloseRequest.TryParse(Json($$"""{"session":"{{new string('s', 128)}}"}"""), out _, out _));
        Assert.False(ShellCloseRequest.TryParse(Json($$"""{"session":"{{new string('s', 129)}}"}"""), out _, out _));
    }

    [Theory]
    [InlineData("""{"session":"a","cols":-1,"rows":40}""")]
    [InlineData("""{"session":"a","cols":0,"rows":40}""")]
    [InlineData("""{"session":"a","cols":100000,"rows":40}""")]
    [InlineData("""{"session":"a","cols":"abc","rows":40}""")]
    [InlineData("""{"session":"a","cols":100}""")]
    [InlineData("""{"session":"a","rows":40}""")]
    [InlineData("""{"session":"a","cols":100.5,"rows":40}""")]
    [InlineData("""{"session":"a","cols":1e3,"rows":true}""")]
    [InlineData("""{"cols":100,"rows":40}""")]
    public void Resize_OutsideOneToThousand_OrMissing_IsRejected(string json)
    {
        Assert.False(ShellResizeRequest.TryParse(Json(json), out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1000, 1000)]
    [InlineData(100, 40)]
    public void Resize_InRange_IsAccepted(int cols, int rows)
    {
        Assert.True(ShellResizeRequest.TryParse(Json($$"""{"session":"a","cols":{{cols}},"rows":{{rows}}}"""), out var request, out _));
        Assert.Equal(new ShellResizeRequest("a", cols, rows), request);
    }

    [Fact]
    public void Input_Text_IsSentAsUtf8()
    {
        Assert.True(ShellInputRequest.TryParse(Json("""{"session":"a","data":"é\u0003"}"""), out var request, out _));
        Assert.Equal(new byte[] { 0xc3, 0xa9, 0x03 }, request.Data);
    }

    [Fact]
    public void Input_Base64_IsDecodedToRawBytes()
    {
        Assert.True(ShellInputRequest.TryParse(Json("""{"session":"a","data":"/wBh","encoding":"base64"}"""), out var request, out _));
        Assert.Equal(new byte[] { 0xff, 0x00, (byte)'a' }, request.Data);
    }

    [Theory]
    [InlineData("""{"session":"a","data":"%%%","encoding":"base64"}""")]
    [InlineData("""{"session":"a","data":"abc","encoding":"base64"}""")]
    [InlineData("""{"session":"a","data":"x","encoding":"rot13"}""")]
    [InlineData("""{"session":"a","data":"x","encoding":7}""")]
    [InlineData("""{"session":"a","data":7}""")]
    [InlineData("""{"session":"a"}""")]
    public void Input_Invalid_IsRejected_AndNothingIsWritten(string json)
    {
        Assert.False(ShellInputRequest.TryParse(Json(json), out var request, out var error));
        Assert.Empty(request.Data);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Input_HugeData_IsRejected()
    {
        var json = $$"""{"session":"a","data":"{{new string('x', ShellInputRequest.MaxDataChars + 1)}}"}""";
        Assert.False(ShellInputRequest.TryParse(Json(json), out _, out _));
    }

    private static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
