using Tether.Platform.Pty;

namespace Tether.Tests.Platform.Pty;

public sealed class PtyStartOptionsTests
{
    private static PtyStartOptions Valid => new("/bin/sh", ["-i"], ["TERM=xterm"], "/tmp");

    [Fact]
    public void Validate_ValidOptions_DoesNotThrow() => Valid.Validate();

    [Theory]
    [InlineData("")]
    [InlineData("bin/sh")]
    [InlineData("./sh")]
    [InlineData("/bin/s\0h")]
    public void Validate_BadFile_Throws(string file) =>
        Assert.ThrowsAny<ArgumentException>(() => (Valid with { File = file }).Validate());

    [Theory]
    [InlineData("")]
    [InlineData("tmp")]
    public void Validate_RelativeOrEmptyWorkingDirectory_Throws(string directory) =>
        Assert.ThrowsAny<ArgumentException>(() => (Valid with { WorkingDirectory = directory }).Validate());

    [Theory]
    [InlineData("NOEQUALS")]
    [InlineData("=value")]
    [InlineData("A=b\0c")]
    public void Validate_MalformedEnvironmentEntry_Throws(string entry) =>
        Assert.Throws<ArgumentException>(() => (Valid with { Environment = [entry] }).Validate());

    [Fact]
    public void Validate_ArgumentWithNul_Throws() =>
        Assert.Throws<ArgumentException>(() => (Valid with { Arguments = ["a\0b"] }).Validate());

    [Theory]
    [InlineData(0, 24)]
    [InlineData(80, 0)]
    [InlineData(1001, 24)]
    [InlineData(80, 1001)]
    public void Validate_SizeOutsideOneToThousand_Throws(int columns, int rows) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => (Valid with { Columns = columns, Rows = rows }).Validate());

    [Fact]
    public void Validate_SizeAtLimits_DoesNotThrow() =>
        (Valid with { Columns = 1, Rows = 1000 }).Validate();
}
