using System.Security;

namespace Tether.Install;

/// <summary>
/// macOS, launchd: <c>/Library/LaunchDaemons/com.tether.agent.plist</c> (the text of
/// packaging/launchd/com.tether.agent.plist, embedded, with the installed paths and the user filled
/// in), <c>/usr/local/bin/tether</c>, <c>/usr/local/etc/tether/agent-config.json</c>, and the log
/// folder <c>/Library/Logs/Tether</c> that launchd does not make for StandardErrorPath.
/// </summary>
internal sealed class LaunchdServiceLayout : IServiceLayout
{
    public const string Label = "com.tether.agent";
    public const string TemplateBinary = "<string>/usr/local/bin/tether</string>";
    public const string TemplateConfig = "<string>/usr/local/etc/tether/agent-config.json</string>";
    public const string TemplateLabel = "<key>Label</key>\n    <string>com.tether.agent</string>\n";

    private const string Launchctl = "launchctl";

    /// <param name="root">"" for the real system; a test's folder that stands for <c>/</c>.</param>
    public LaunchdServiceLayout(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        DefinitionPath = root + "/Library/LaunchDaemons/com.tether.agent.plist";
        BinaryPath = root + "/usr/local/bin/tether";
        DefaultConfigPath = root + "/usr/local/etc/tether/agent-config.json";
        ExtraFolders = [(root + "/Library/Logs/Tether", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute)];
    }

    public string ManagerName => "launchd";

    public string? PasswdPath => null;

    public string DefinitionPath { get; }

    public string BinaryPath { get; }

    public string DefaultConfigPath { get; }

    public IReadOnlyList<(string Path, UnixFileMode Mode)> ExtraFolders { get; }

    /// <summary>packaging/launchd/com.tether.agent.plist as shipped.</summary>
    public static string Template { get; } = SystemdServiceLayout.ReadTemplate("Tether.Install.com.tether.agent.plist");

    public string Render(string binaryPath, string configPath, string? user)
    {
        string text = Template.Replace("\r\n", "\n", StringComparison.Ordinal);
        Require(text, TemplateBinary, 1);
        Require(text, TemplateConfig, 2);
        Require(text, TemplateLabel, 1);
        text = text.Replace(TemplateBinary, "<string>" + SecurityElement.Escape(binaryPath) + "</string>", StringComparison.Ordinal)
            .Replace(TemplateConfig, "<string>" + SecurityElement.Escape(configPath) + "</string>", StringComparison.Ordinal);
        return user is null
            ? text
            : text.Replace(TemplateLabel, TemplateLabel + "    <key>UserName</key>\n    <string>" + SecurityElement.Escape(user) + "</string>\n", StringComparison.Ordinal);
    }

    public IReadOnlyList<ServiceCommandLine> StartCommands(bool firstInstall, bool definitionChanged)
    {
        var bootstrap = new ServiceCommandLine(Launchctl, ["bootstrap", "system", DefinitionPath]);
        // launchd reads the plist at bootstrap only, and restarts nothing on its own: take the old one out first.
        return firstInstall ? [bootstrap] : [BootOut(), bootstrap];
    }

    public IReadOnlyList<ServiceCommandLine> StopCommands() => [BootOut()];

    public IReadOnlyList<ServiceCommandLine> AfterRemoveCommands() => [];

    public ServiceCommandLine ActiveQuery() => new(Launchctl, ["print", "system/" + Label]);

    private static ServiceCommandLine BootOut() => new(Launchctl, ["bootout", "system/" + Label]);

    private static void Require(string text, string part, int count)
    {
        int found = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            found++;
        }

        if (found != count)
        {
            throw new InvalidOperationException($"packaging/launchd/com.tether.agent.plist must hold {part} {count} time(s), holds it {found}");
        }
    }
}
