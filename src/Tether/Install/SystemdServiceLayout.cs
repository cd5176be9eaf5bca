using System.Reflection;
using System.Text;

namespace Tether.Install;

/// <summary>
/// Linux, systemd: <c>/etc/systemd/system/tether.service</c> (the text of packaging/systemd/tether.service,
/// embedded, with the installed paths and the user filled in), <c>/usr/local/bin/tether</c>,
/// <c>/etc/tether/agent-config.json</c>.
/// </summary>
internal sealed class SystemdServiceLayout : IServiceLayout
{
    public const string UnitName = "tether";
    public const string TemplateExecStart = "ExecStart=/usr/local/bin/tether run --config /etc/tether/agent-config.json";
    public const string TemplateUser = "User=root";

    private const string Systemctl = "systemctl";

    /// <param name="root">"" for the real system; a test's folder that stands for <c>/</c>.</param>
    public SystemdServiceLayout(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        DefinitionPath = root + "/etc/systemd/system/tether.service";
        BinaryPath = root + "/usr/local/bin/tether";
        DefaultConfigPath = root + "/etc/tether/agent-config.json";
        PasswdPath = root + "/etc/passwd";
    }

    public string? PasswdPath { get; }

    public string ManagerName => "systemd";

    public string DefinitionPath { get; }

    public string BinaryPath { get; }

    public string DefaultConfigPath { get; }

    public IReadOnlyList<(string Path, UnixFileMode Mode)> ExtraFolders => [];

    /// <summary>packaging/systemd/tether.service as shipped.</summary>
    public static string Template { get; } = ReadTemplate("Tether.Install.tether.service");

    public string Render(string binaryPath, string configPath, string? user)
    {
        string execStart = "ExecStart=" + Quote(binaryPath) + " run --config " + Quote(configPath);
        string text = ReplaceLine(Template, TemplateExecStart, execStart);
        return user is null ? text : ReplaceLine(text, TemplateUser, "User=" + user);
    }

    public IReadOnlyList<ServiceCommandLine> StartCommands(bool firstInstall, bool definitionChanged)
    {
        var commands = new List<ServiceCommandLine>();
        if (firstInstall || definitionChanged)
        {
            commands.Add(new(Systemctl, ["daemon-reload"]));
        }

        // enable --now does not restart a running service; a changed unit or binary needs it.
        commands.Add(firstInstall ? new(Systemctl, ["enable", "--now", UnitName]) : new(Systemctl, ["enable", UnitName]));
        if (!firstInstall)
        {
            commands.Add(new(Systemctl, ["restart", UnitName]));
        }

        return commands;
    }

    public IReadOnlyList<ServiceCommandLine> StopCommands() => [new(Systemctl, ["disable", "--now", UnitName])];

    public IReadOnlyList<ServiceCommandLine> AfterRemoveCommands() => [new(Systemctl, ["daemon-reload"])];

    public ServiceCommandLine ActiveQuery() => new(Systemctl, ["is-active", UnitName]);

    /// <summary>
    /// One ExecStart word as systemd reads it: as is when it needs nothing, else in double quotes
    /// with <c>\</c> and <c>"</c> escaped; <c>%</c> (specifiers) and <c>$</c> (variables) doubled either way.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        string escaped = word.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        bool plain = escaped.Length > 0 && !escaped.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or ';' || char.IsControl(c));
        if (plain)
        {
            return escaped;
        }

        var quoted = new StringBuilder("\"");
        foreach (char c in escaped)
        {
            _ = c switch
            {
                '\\' => quoted.Append("\\\\"),
                '"' => quoted.Append("\\\""),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    internal static string ReadTemplate(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"resource {resource} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Replaces the one line that is exactly <paramref name="line"/>; a template without it is a build bug.</summary>
    private static string ReplaceLine(string text, string line, string replacement)
    {
        string[] lines = text.Split('\n');
        int index = Array.FindIndex(lines, l => l.TrimEnd('\r') == line);
        if (index < 0 || Array.FindIndex(lines, index + 1, l => l.TrimEnd('\r') == line) >= 0)
        {
            throw new InvalidOperationException($"packaging/systemd/tether.service must hold the line \"{line}\" exactly once");
        }

        lines[index] = replacement;
        return string.Join('\n', lines);
    }
}
