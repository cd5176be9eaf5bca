using Tether.Commands;
using Tether.Platform.Processes;

namespace Tether.Tests.Commands;

public sealed class EnvironmentPolicyWindowsTests
{
    private const string SystemPath = @"C:\Windows\system32;C:\Windows;C:\Windows\System32\Wbem;C:\Windows\System32\WindowsPowerShell\v1.0\";

    private static readonly ChildEnvironmentPlatform Windows = ChildEnvironmentPlatform.Windows(@"C:\Windows");

    // Environment.GetEnvironmentVariable is case-insensitive on Windows; so is this stand-in.
    private static readonly Dictionary<string, string> Agent = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Path"] = @".;C:\Users\agent\bin;C:\Windows\system32",
        ["PATHEXT"] = ".PS1;.PY;.EXE",
        ["ComSpec"] = @"C:\Users\agent\cmd.exe",
        ["SystemRoot"] = @"C:\Windows",
        ["windir"] = @"C:\Windows",
        ["SystemDrive"] = "C:",
        ["TEMP"] = @"C:\Windows\TEMP",
        ["TMP"] = @"C:\Windows\TEMP",
        ["USERPROFILE"] = @"C:\Windows\system32\config\systemprofile",
        ["APPDATA"] = @"C:\Windows\system32\config\systemprofile\AppData\Roaming",
        ["LOCALAPPDATA"] = @"C:\Windows\system32\config\systemprofile\AppData\Local",
        ["ProgramData"] = @"C:\ProgramData",
        ["ProgramFiles"] = @"C:\Program Files",
        ["COMPUTERNAME"] = "HOST1",
        ["USERNAME"] = "SYSTEM",
        ["USERDOMAIN"] = "NT AUTHORITY",
        ["NUMBER_OF_PROCESSORS"] = "4",
        ["PROCESSOR_ARCHITECTURE"] = "AMD64",
        ["OS"] = "Windows_NT",
        ["TZ"] = "UTC",
        ["AUTH_TOKEN"] = "secret",
        ["HTTPS_PROXY"] = "http://user:pw@proxy",
        ["COR_ENABLE_PROFILING"] = "1",
        ["DOTNET_STARTUP_HOOKS"] = @"C:\hook.dll",
        ["PSModulePath"] = @"C:\modules",
    };

    [Fact]
    public void TryBuild_OnWindows_IsTheSystemPathAndTheBasics_NeverTheAgentsPathOrProgramLookup()
    {
        Assert.True(EnvironmentPolicy.TryBuild(null, AgentVariable, Windows, Allowed, out var environment, out var error), error);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Path"] = SystemPath,
                ["SystemRoot"] = @"C:\Windows",
                ["windir"] = @"C:\Windows",
                ["ComSpec"] = @"C:\Windows\system32\cmd.exe",
                ["PATHEXT"] = ".COM;.EXE;.BAT;.CMD",
                ["SystemDrive"] = "C:",
                ["TEMP"] = @"C:\Windows\TEMP",
                ["TMP"] = @"C:\Windows\TEMP",
                ["USERPROFILE"] = @"C:\Windows\system32\config\systemprofile",
                ["APPDATA"] = @"C:\Windows\system32\config\systemprofile\AppData\Roaming",
                ["LOCALAPPDATA"] = @"C:\Windows\system32\config\systemprofile\AppData\Local",
                ["ProgramData"] = @"C:\ProgramData",
                ["ProgramFiles"] = @"C:\Program Files",
                ["COMPUTERNAME"] = "HOST1",
                ["USERNAME"] = "SYSTEM",
                ["USERDOMAIN"] = "NT AUTHORITY",
                ["NUMBER_OF_PROCESSORS"] = "4",
                ["PROCESSOR_ARCHITECTURE"] = "AMD64",
                ["OS"] = "Windows_NT",
                ["TZ"] = "UTC",
            },
            environment);
    }

    [Fact]
    public void TryBuild_OnWindows_PathIsFixedWhateverTheAgentsPath()
    {
        Assert.True(EnvironmentPolicy.TryBuild([], name => name.Equals("PATH", StringComparison.OrdinalIgnoreCase) ? @"C:\evil" : null, Windows, Allowed, out var a, out _));
        Assert.True(EnvironmentPolicy.TryBuild([], _ => null, ChildEnvironmentPlatform.Windows(@"D:\Win"), Allowed, out var b, out _));

        Assert.Equal(SystemPath, a["PATH"]);
        Assert.Equal(@"D:\Win\system32;D:\Win;D:\Win\System32\Wbem;D:\Win\System32\WindowsPowerShell\v1.0\", b["Path"]);
        Assert.Equal(@"D:\Win", b["SystemRoot"]);
        Assert.Single(b.Keys, k => k.Equals("PATH", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TryBuild_OnWindows_NeverPassesTheAgentsSecretsOrInjectionVariables()
    {
        Assert.True(EnvironmentPolicy.TryBuild([new("X", "1")], AgentVariable, Windows, Allowed, out var environment, out _));

        string[] absent = ["AUTH_TOKEN", "HTTPS_PROXY", "COR_ENABLE_PROFILING", "DOTNET_STARTUP_HOOKS", "PSModulePath", "HOME"];
        foreach (var name in absent)
        {
            Assert.False(environment.ContainsKey(name), name);
        }

        Assert.DoesNotContain(environment.Values, v => v.Contains("secret", StringComparison.Ordinal) || v.Contains("agent", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PATHEXT")]
    [InlineData("comspec")]
    [InlineData("ComSpec")]
    [InlineData("Path")]
    [InlineData("SystemRoot")]
    [InlineData("WINDIR")]
    [InlineData("COR_ENABLE_PROFILING")]
    [InlineData("COR_PROFILER_PATH")]
    [InlineData("CORECLR_PROFILER_PATH")]
    [InlineData("DOTNET_STARTUP_HOOKS")]
    [InlineData("COMPlus_EnableDiagnostics")]
    [InlineData("__COMPAT_LAYER")]
    [InlineData("PSModulePath")]
    [InlineData("PSExecutionPolicyPreference")]
    [InlineData("USERPROFILE")]
    [InlineData("AppData")]
    [InlineData("LOCALAPPDATA")]
    [InlineData("HOMEPATH")]
    public void TryBuild_WindowsInjectionVariable_IsRefusedNamingIt_OnEveryPlatform(string name)
    {
        foreach (var platform in new[] { Windows, ChildEnvironmentPlatform.Unix })
        {
            Assert.False(EnvironmentPolicy.TryBuild([new(name, "hunter2")], AgentVariable, platform, Allowed, out var environment, out var error));
            Assert.Null(environment);
            Assert.Equal($"env: {name} may not be set by a request (it could change which program runs or what it executes)", error);
        }
    }

    [Fact]
    public void TryBuild_OnWindows_NamesThatDifferOnlyInCase_AreGivenTwice()
    {
        Assert.False(EnvironmentPolicy.TryBuild([new("App_Mode", "1"), new("APP_MODE", "2")], AgentVariable, Windows, Allowed, out _, out var error));
        Assert.Equal("env: APP_MODE is given twice", error);

        Assert.True(EnvironmentPolicy.TryBuild([new("App_Mode", "1"), new("APP_MODE", "2")], AgentVariable, ChildEnvironmentPlatform.Unix, Allowed, out _, out _));
    }

    [Fact]
    public void TryBuild_OnWindows_RequestEntriesOverrideWhateverTheirCase()
    {
        Assert.True(EnvironmentPolicy.TryBuild([new("tz", "Europe/Paris"), new("Temp", @"D:\t"), new("APP_MODE", "x")], AgentVariable, Windows, Allowed, out var environment, out var error), error);

        Assert.Equal("Europe/Paris", environment["TZ"]);
        Assert.Equal(@"D:\t", environment["TEMP"]);
        Assert.Equal("x", environment["app_mode"]);
        Assert.Single(environment.Keys, k => k.Equals("TZ", StringComparison.OrdinalIgnoreCase));
        Assert.Single(environment.Keys, k => k.Equals("TEMP", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TryBuild_OnWindows_ResolvesProgramsInTheSystemDirectoriesOnly()
    {
        Assert.True(EnvironmentPolicy.TryBuild(null, AgentVariable, Windows, Allowed, out var environment, out _));
        string[] files = [@"C:\Users\agent\bin\ipconfig.exe", @"C:\Windows\system32\ipconfig.exe", @"C:\Windows\System32\Wbem\wmic.exe"];

        Assert.Equal(
            @"C:\Windows\system32\ipconfig.exe",
            WindowsExecutableLookup.Resolve(
                "ipconfig",
                WindowsEnvironmentBlock.Find(environment, "PATH"),
                WindowsEnvironmentBlock.Find(environment, "PATHEXT"),
                path => files.Contains(path, StringComparer.OrdinalIgnoreCase)));
        Assert.Equal(
            @"C:\Windows\System32\Wbem\wmic.exe",
            WindowsExecutableLookup.Resolve("wmic", environment["PATH"], environment["PATHEXT"], path => files.Contains(path, StringComparer.OrdinalIgnoreCase)));
        Assert.EndsWith("\0\0", new string(WindowsEnvironmentBlock.Build(environment)), StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuild_WithTheUnixPlatform_IsTheUnixEnvironment()
    {
        Dictionary<string, string> agent = new(StringComparer.Ordinal) { ["PATH"] = @"/agent/bin", ["SystemRoot"] = @"C:\Windows", ["HOME"] = "/root" };

        Assert.True(EnvironmentPolicy.TryBuild([new("A", "1")], agent.GetValueOrDefault, ChildEnvironmentPlatform.Unix, Allowed, out var environment, out _));

        Assert.Equal(new Dictionary<string, string> { ["PATH"] = EnvironmentPolicy.DefaultPath, ["HOME"] = "/root", ["A"] = "1" }, environment);
    }

    // admin.allowedEnv of these tests; compared case-insensitively on Windows.
    private static readonly string[] Allowed = ["APP_MODE", "App_Mode", "TEMP", "A", "X"];

    private static string? AgentVariable(string name) => Agent.GetValueOrDefault(name);
}
