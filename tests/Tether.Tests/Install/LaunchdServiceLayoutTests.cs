using System.Runtime.Versioning;
using System.Xml.Linq;
using Tether.Install;
using Tether.Tests.Layering;

namespace Tether.Tests.Install;

[SupportedOSPlatform("linux")]
public sealed class LaunchdServiceLayoutTests
{
    private static readonly string PackagingPlist = File.ReadAllText(Path.Join(RepositoryPaths.Root, "packaging", "launchd", "com.tether.agent.plist"));

    [Fact]
    public void Render_WithThePackagingPaths_IsThePackagingPlistByteForByte()
    {
        Assert.Equal(PackagingPlist, new LaunchdServiceLayout("").Render("/usr/local/bin/tether", "/usr/local/etc/tether/agent-config.json", user: null));
    }

    [Fact]
    public void Render_PutsThePathsInProgramArgumentsAndTheEnvironment_AndTheUserName()
    {
        string text = new LaunchdServiceLayout("").Render("/opt/T&T/tether", "/etc/t/agent-config.json", "monitor");

        var dict = XDocument.Parse(text).Root!.Element("dict")!.Elements().ToList();
        string Value(string key) => dict[dict.FindIndex(e => e.Name == "key" && e.Value == key) + 1].Value;
        Assert.Equal("monitor", Value("UserName"));
        var arguments = dict[dict.FindIndex(static e => e.Name == "key" && e.Value == "ProgramArguments") + 1].Elements().Select(static e => e.Value);
        Assert.Equal(["/opt/T&T/tether", "run", "--config", "/etc/t/agent-config.json"], arguments);
        Assert.Contains("<string>/opt/T&amp;T/tether</string>", text, StringComparison.Ordinal);
        Assert.Contains("<string>/etc/t/agent-config.json</string>\n        <key>LOG_FILE</key>", text, StringComparison.Ordinal); // CLIENT_CONFIG_PATH
    }

    [Fact]
    public void Paths_AndCommands_AreLaunchdSystemDomainOnes()
    {
        var layout = new LaunchdServiceLayout("/r");

        Assert.Equal("/r/Library/LaunchDaemons/com.tether.agent.plist", layout.DefinitionPath);
        Assert.Equal("/r/usr/local/bin/tether", layout.BinaryPath);
        Assert.Equal("/r/usr/local/etc/tether/agent-config.json", layout.DefaultConfigPath);
        Assert.Equal("/r/Library/Logs/Tether", Assert.Single(layout.ExtraFolders).Path);
        Assert.Equal(["launchctl bootstrap system /r/Library/LaunchDaemons/com.tether.agent.plist"], layout.StartCommands(firstInstall: true, definitionChanged: true).Select(static c => c.ToString()));
        Assert.Equal(["launchctl bootout system/com.tether.agent", "launchctl bootstrap system /r/Library/LaunchDaemons/com.tether.agent.plist"], layout.StartCommands(firstInstall: false, definitionChanged: true).Select(static c => c.ToString()));
        Assert.Equal(["launchctl bootout system/com.tether.agent"], layout.StopCommands().Select(static c => c.ToString()));
        Assert.Equal("launchctl print system/com.tether.agent", layout.ActiveQuery().ToString());
    }

    [Fact]
    public async Task Install_IntoARoot_WritesThePlistAndTheLogFolder_AndBootstrapsIt()
    {
        using var dir = new TempDirectory("tether-launchd-");
        var layout = new LaunchdServiceLayout(dir.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.DefaultConfigPath)!);
        File.WriteAllText(layout.DefaultConfigPath, """{"clientId":"m","serverUrl":"http://127.0.0.1:9","authToken":"t"}""");
        File.SetUnixFileMode(layout.DefaultConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string binary = dir.Write("tether-build", "binary");
        var commands = new RecordingServiceManagerCommands();

        int code = await new ServiceInstaller(layout, commands, new StringWriter(), new StringWriter()).InstallAsync(new ServiceInstallOptions { SourceBinary = binary }, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(layout.Render(layout.BinaryPath, layout.DefaultConfigPath, null), File.ReadAllText(layout.DefinitionPath));
        Assert.Equal((UnixFileMode)0x1E8, File.GetUnixFileMode(dir.Join("Library", "Logs", "Tether"))); // 0750
        Assert.Equal([$"launchctl bootstrap system {layout.DefinitionPath}"], commands.Issued);
    }
}
