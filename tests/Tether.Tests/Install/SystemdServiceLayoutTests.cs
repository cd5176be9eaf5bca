using Tether.Install;
using Tether.Tests.Layering;

namespace Tether.Tests.Install;

public sealed class SystemdServiceLayoutTests
{
    private static readonly string PackagingUnit = File.ReadAllText(Path.Join(RepositoryPaths.Root, "packaging", "systemd", "tether.service"));

    [Fact]
    public void Render_WithThePackagingPaths_IsThePackagingUnitByteForByte()
    {
        var layout = new SystemdServiceLayout("");

        Assert.Equal(PackagingUnit, layout.Render("/usr/local/bin/tether", "/etc/tether/agent-config.json", user: null));
    }

    [Fact]
    public void Render_DiffersFromThePackagingUnit_OnlyInTheExecStartAndUserLines()
    {
        var layout = new SystemdServiceLayout("/tmp/root");

        string[] installed = layout.Render("/tmp/root/usr/local/bin/tether", "/srv/tether config/agent-config.json", "monitor").Split('\n');
        string[] packaged = PackagingUnit.Split('\n');

        Assert.Equal(packaged.Length, installed.Length);
        var differences = packaged.Zip(installed).Where(static p => p.First != p.Second).ToList();
        Assert.Equal(
            [
                ("User=root", "User=monitor"),
                ("ExecStart=/usr/local/bin/tether run --config /etc/tether/agent-config.json", "ExecStart=/tmp/root/usr/local/bin/tether run --config \"/srv/tether config/agent-config.json\""),
            ],
            differences);
    }

    [Theory]
    [InlineData("/usr/local/bin/tether", "/usr/local/bin/tether")]
    [InlineData("/opt/a b/tether", "\"/opt/a b/tether\"")]
    [InlineData("/opt/100%/tether", "/opt/100%%/tether")]
    [InlineData("/opt/$HOME/tether", "/opt/$$HOME/tether")]
    [InlineData("/opt/a\"b\\c", "\"/opt/a\\\"b\\\\c\"")]
    public void Quote_WritesOneExecStartWord_AsSystemdReadsIt(string word, string expected) =>
        Assert.Equal(expected, SystemdServiceLayout.Quote(word));

    [Fact]
    public void Paths_AreTheFhsOnes_UnderTheRoot()
    {
        var layout = new SystemdServiceLayout("/r");

        Assert.Equal("/r/etc/systemd/system/tether.service", layout.DefinitionPath);
        Assert.Equal("/r/usr/local/bin/tether", layout.BinaryPath);
        Assert.Equal("/r/etc/tether/agent-config.json", layout.DefaultConfigPath);
    }

    [Fact]
    public void Commands_FirstInstallEnablesNow_AChangeReloadsAndRestarts_UninstallDisablesNow()
    {
        var layout = new SystemdServiceLayout("");

        Assert.Equal(["systemctl daemon-reload", "systemctl enable --now tether"], layout.StartCommands(firstInstall: true, definitionChanged: true).Select(static c => c.ToString()));
        Assert.Equal(["systemctl daemon-reload", "systemctl enable tether", "systemctl restart tether"], layout.StartCommands(firstInstall: false, definitionChanged: true).Select(static c => c.ToString()));
        Assert.Equal(["systemctl enable tether", "systemctl restart tether"], layout.StartCommands(firstInstall: false, definitionChanged: false).Select(static c => c.ToString()));
        Assert.Equal(["systemctl disable --now tether"], layout.StopCommands().Select(static c => c.ToString()));
        Assert.Equal(["systemctl daemon-reload"], layout.AfterRemoveCommands().Select(static c => c.ToString()));
        Assert.Equal("systemctl is-active tether", layout.ActiveQuery().ToString());
    }
}
