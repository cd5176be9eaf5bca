using System.Collections;
using Tether.Platform.Processes;
using Tether.Platform.Pty;
using Tether.Shell;

namespace Tether.Tests.Shell;

public sealed class ShellEnvironmentWindowsTests
{
    private static readonly ChildEnvironmentPlatform Windows = ChildEnvironmentPlatform.Windows(@"C:\Windows");

    [Theory]
    [InlineData("Path")]
    [InlineData("PATH")]
    [InlineData("path")]
    [InlineData("pAtH")]
    public void Build_OnWindows_FindsPathWhateverItsCase(string name)
    {
        var agent = new Hashtable { [name] = @"C:\Tools;C:\Windows\system32", ["SystemRoot"] = @"C:\Windows" };

        var env = Build(agent);

        Assert.Equal(@"Path=C:\Tools;C:\Windows\system32", env[0]);
        Assert.Single(env, e => e.StartsWith("path=", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Build_OnWindows_WithoutPath_UsesTheSystemPathOfSystemRoot(string? path)
    {
        var agent = new Hashtable { ["SYSTEMROOT"] = @"D:\WINNT" };
        if (path is not null)
        {
            agent["Path"] = path;
        }

        var env = Build(agent);

        Assert.Equal(@"Path=D:\WINNT\system32;D:\WINNT;D:\WINNT\System32\Wbem;D:\WINNT\System32\WindowsPowerShell\v1.0\", env[0]);
        Assert.Contains(@"SystemRoot=D:\WINNT", env);
        Assert.Contains(@"ComSpec=D:\WINNT\system32\cmd.exe", env);
    }

    [Fact]
    public void Build_OnWindows_WithoutSystemRoot_UsesThePlatformsWindowsDirectory()
    {
        var env = ShellEnvironment.Build(new Hashtable(), @"C:\Users\op", "op", "cmd.exe", ChildEnvironmentPlatform.Windows(@"E:\Windows"));

        Assert.Equal(
            [
                @"Path=E:\Windows\system32;E:\Windows;E:\Windows\System32\Wbem;E:\Windows\System32\WindowsPowerShell\v1.0\",
                @"SystemRoot=E:\Windows",
                @"windir=E:\Windows",
                @"ComSpec=E:\Windows\system32\cmd.exe",
                "PATHEXT=" + WindowsChildEnvironment.StockPathExt,
                "TERM=xterm-256color",
            ],
            env);
    }

    [Fact]
    public void Build_OnWindows_CopiesTheBasicsWithCanonicalNames()
    {
        var agent = new Hashtable
        {
            ["PATH"] = @"C:\Windows\system32",
            ["systemroot"] = @"C:\Windows",
            ["WINDIR"] = @"C:\Windows",
            ["COMSPEC"] = @"C:\Windows\system32\cmd.exe",
            ["pathext"] = ".COM;.EXE;.BAT;.CMD;.PY",
            ["systemdrive"] = "C:",
            ["temp"] = @"C:\Users\op\AppData\Local\Temp",
            ["Tmp"] = @"C:\Users\op\AppData\Local\Temp",
            ["userprofile"] = @"C:\Users\op",
            ["AppData"] = @"C:\Users\op\AppData\Roaming",
            ["LocalAppData"] = @"C:\Users\op\AppData\Local",
            ["PROGRAMDATA"] = @"C:\ProgramData",
            ["programfiles"] = @"C:\Program Files",
            ["PROGRAMFILES(X86)"] = @"C:\Program Files (x86)",
            ["computername"] = "HOST1",
            ["username"] = "op",
            ["userdomain"] = "CORP",
            ["number_of_processors"] = "8",
            ["processor_architecture"] = "AMD64",
            ["os"] = "Windows_NT",
        };

        var env = Build(agent);

        Assert.Equal(
            [
                @"Path=C:\Windows\system32",
                @"SystemRoot=C:\Windows",
                @"windir=C:\Windows",
                @"ComSpec=C:\Windows\system32\cmd.exe",
                "PATHEXT=.COM;.EXE;.BAT;.CMD;.PY",
                "SystemDrive=C:",
                @"TEMP=C:\Users\op\AppData\Local\Temp",
                @"TMP=C:\Users\op\AppData\Local\Temp",
                @"USERPROFILE=C:\Users\op",
                @"APPDATA=C:\Users\op\AppData\Roaming",
                @"LOCALAPPDATA=C:\Users\op\AppData\Local",
                @"ProgramData=C:\ProgramData",
                @"ProgramFiles=C:\Program Files",
                @"ProgramFiles(x86)=C:\Program Files (x86)",
                "COMPUTERNAME=HOST1",
                "USERNAME=op",
                "USERDOMAIN=CORP",
                "NUMBER_OF_PROCESSORS=8",
                "PROCESSOR_ARCHITECTURE=AMD64",
                "OS=Windows_NT",
                "TERM=xterm-256color",
            ],
            env);
    }

    [Fact]
    public void Build_OnWindows_NeverCopiesTheAgentsSecretsOrUnixIdentity()
    {
        var agent = new Hashtable
        {
            ["Path"] = @"C:\Windows\system32",
            ["AUTH_TOKEN"] = "secret",
            ["auth_token"] = "secret",
            ["HTTPS_PROXY"] = "http://user:pw@proxy",
            ["https_proxy"] = "http://user:pw@proxy",
            ["CLIENT_ID"] = "x",
            ["CLIENT_CONFIG_PATH"] = @"C:\agent.json",
            ["HOME"] = @"C:\Users\op",
            ["SHELL"] = "/usr/bin/bash",
            ["PSModulePath"] = @"C:\evil",
            ["COR_ENABLE_PROFILING"] = "1",
        };

        var env = ShellEnvironment.Build(agent, @"C:\Users\op", "op", "cmd.exe", Windows);

        Assert.DoesNotContain(env, e => e.Contains("secret", StringComparison.Ordinal) || e.Contains("proxy", StringComparison.OrdinalIgnoreCase));
        string[] absent = ["AUTH_TOKEN=", "HTTPS_PROXY=", "CLIENT_", "HOME=", "USER=", "LOGNAME=", "SHELL=", "PSModulePath=", "COR_"];
        foreach (var prefix in absent)
        {
            Assert.DoesNotContain(env, e => e.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Build_OnWindows_PassesLocaleAndTzAsOnUnix()
    {
        var agent = new Hashtable { ["TZ"] = "UTC", ["LANG"] = "en_US.UTF-8", ["LC_ALL"] = "C", ["Lang2"] = "no", ["TZX"] = "no" };

        var env = Build(agent);

        Assert.Equal(["LANG=en_US.UTF-8", "LC_ALL=C", "TZ=UTC"], env[^3..]);
        Assert.Equal("TERM=xterm-256color", env[^4]);
    }

    [Fact]
    public void Build_OnWindows_EntriesMakeTheBlockTheWindowsPtyStartsWith()
    {
        var agent = new Hashtable { ["Path"] = @"C:\a=b;C:\Windows\system32", ["SystemRoot"] = @"C:\Windows", ["TEMP"] = "" };
        var env = Build(agent);
        // The working directory is checked with this OS's rules; only the entries matter here.
        new PtyStartOptions("cmd.exe", [], env, Path.GetTempPath()).Validate();

        var pairs = WindowsEnvironmentBlock.Split(env).ToList();

        Assert.Equal(@"C:\a=b;C:\Windows\system32", WindowsEnvironmentBlock.Find(pairs, "PATH"));
        Assert.Equal(WindowsChildEnvironment.StockPathExt, WindowsEnvironmentBlock.Find(pairs, "PATHEXT"));
        Assert.Equal("", WindowsEnvironmentBlock.Find(pairs, "TEMP"));
        var block = new string(WindowsEnvironmentBlock.Build(pairs));
        Assert.Contains("\0Path=C:\\a=b;C:\\Windows\\system32\0", block, StringComparison.Ordinal);
        Assert.Contains("\0SystemRoot=C:\\Windows\0", block, StringComparison.Ordinal);
        Assert.EndsWith("\0\0", block, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithTheUnixPlatform_IsTheUnixEnvironment()
    {
        var agent = new Hashtable { ["PATH"] = "/usr/bin", ["Path"] = "ignored", ["TZ"] = "UTC", ["tz"] = "ignored" };

        Assert.Equal(
            ShellEnvironment.Build(agent, "/home/op", "op", "/bin/bash"),
            ShellEnvironment.Build(agent, "/home/op", "op", "/bin/bash", ChildEnvironmentPlatform.Unix));
        Assert.Equal(
            ["PATH=/usr/bin", "HOME=/home/op", "USER=op", "LOGNAME=op", "SHELL=/bin/bash", "TERM=xterm-256color", "TZ=UTC"],
            ShellEnvironment.Build(agent, "/home/op", "op", "/bin/bash", ChildEnvironmentPlatform.Unix));
    }

    private static List<string> Build(Hashtable agent) => ShellEnvironment.Build(agent, @"C:\Users\op", "op", "cmd.exe", Windows);
}
