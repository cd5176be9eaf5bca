using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// The control for the ConPTY finding, without the agent: tests/wine/conpty-control.c, built
/// with Debian's mingw-w64, starts cmd.exe in a pseudo console the way the agent does
/// (STARTF_USESTDHANDLES with null handles), types <c>set /a 4000+321</c>, and reports whether
/// cmd.exe answered. Under Wine 8 it exits at once without reading (its standard handles stay
/// empty), while <c>cmd.exe /c "cmd.exe &lt;CON &gt;CON 2&gt;CON"</c> answers: the reason the
/// Wine tests configure that shell. On Windows the first form is the documented one.
/// </summary>
[Trait("Category", "Windows")]
public sealed class ConPtyControlTests
{
    [Fact]
    public async Task UnderWine_CmdWithNullStdHandles_ExitsUnread_WhileTheConRedirectionAnswers()
    {
        WindowsAgentTests.RequireWindowsAgent();
        string gcc = ToolRun.Find("x86_64-w64-mingw32-gcc") ?? throw new InvalidOperationException("x86_64-w64-mingw32-gcc is missing (Debian package gcc-mingw-w64-x86-64; scripts/test installs it)");
        using var dir = new TempDirectory("tether-conpty-control-");
        string exe = dir.Join("conpty-control.exe");
        var build = await ToolRun.RunAsync(gcc, ["-O2", "-Wall", "-Werror", "-o", exe, Path.Combine(RepoPaths.Root, "tests", "wine", "conpty-control.c")]);
        Assert.True(build.ExitCode == 0, build.ToString());
        string launcher = Environment.GetEnvironmentVariable("TETHER_AGENT_LAUNCHER")!;

        var plain = await ToolRun.RunAsync(launcher, [exe, "null-std", "cmd.exe"], workingDirectory: dir.Path);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("exit 0\r\n", plain.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("saw-marker 0\r\n", plain.StandardOutput, StringComparison.Ordinal);

        var con = await ToolRun.RunAsync(launcher, [exe, "null-std", "cmd.exe /c \"cmd.exe <CON >CON 2>CON\""], workingDirectory: dir.Path);
        Assert.True(con.ExitCode == 0, con.ToString());
        Assert.Contains("saw-marker 1\r\n", con.StandardOutput, StringComparison.Ordinal);
    }
}
