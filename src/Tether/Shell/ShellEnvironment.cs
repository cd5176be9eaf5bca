using System.Collections;
using Tether.Platform.Processes;

namespace Tether.Shell;

/// <summary>
/// The environment a shell starts with, built explicitly rather than inherited: the agent's own
/// variables (tokens, proxies, config overrides) have no business in an operator's terminal.
/// </summary>
internal static class ShellEnvironment
{
    public const string Term = "xterm-256color";

    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The Unix environment (see the overload with a platform).</summary>
    public static List<string> Build(IDictionary agentEnvironment, string home, string user, string shell) =>
        Build(agentEnvironment, home, user, shell, ChildEnvironmentPlatform.Unix);

    /// <summary>
    /// Unix: <c>PATH</c>, <c>HOME</c>, <c>USER</c>/<c>LOGNAME</c>, <c>SHELL</c>, <c>TERM</c>.
    /// Windows: <c>Path</c> (the agent's, whatever its case, else the system path built from
    /// <c>SystemRoot</c>), the basics of <see cref="ChildEnvironmentPlatform.WindowsBasics"/> (of which
    /// <c>USERPROFILE</c> is the home, so no <c>HOME</c>, <c>USER</c>, <c>LOGNAME</c> or
    /// <c>SHELL</c>: Windows programs that read <c>HOME</c> would change behaviour), <c>TERM</c>.
    /// Both: <c>LANG</c>, <c>LANGUAGE</c>, <c>LC_*</c> and <c>TZ</c> from
    /// <paramref name="agentEnvironment"/> when set (case-insensitively on Windows). Entries are
    /// <c>NAME=value</c>.
    /// </summary>
    public static List<string> Build(IDictionary agentEnvironment, string home, string user, string shell, ChildEnvironmentPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(agentEnvironment);
        ArgumentNullException.ThrowIfNull(platform);
        List<string> result;
        StringComparison names;
        if (platform.IsWindows)
        {
            result = BuildWindowsBasics(agentEnvironment, platform);
            names = StringComparison.OrdinalIgnoreCase;
        }
        else
        {
            var path = agentEnvironment["PATH"] as string;
            result =
            [
                "PATH=" + (string.IsNullOrEmpty(path) ? DefaultPath : path),
                "HOME=" + home,
                "USER=" + user,
                "LOGNAME=" + user,
                "SHELL=" + shell,
                "TERM=" + Term,
            ];
            names = StringComparison.Ordinal;
        }

        var passed = new List<string>();
        foreach (DictionaryEntry entry in agentEnvironment)
        {
            if (entry.Key is string name && entry.Value is string value && IsPassedThrough(name, names) && !value.Contains('\0', StringComparison.Ordinal))
            {
                passed.Add(name + "=" + value);
            }
        }

        passed.Sort(StringComparer.Ordinal);
        result.AddRange(passed);
        return result;
    }

    /// <summary>The agent user's home: <c>$HOME</c> when it is an existing directory, else the passwd entry's, else <c>/</c>.</summary>
    public static string ResolveHome()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("HOME");
        if (!string.IsNullOrEmpty(fromEnvironment) && Path.IsPathRooted(fromEnvironment) && Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return !string.IsNullOrEmpty(profile) && Path.IsPathRooted(profile) && Directory.Exists(profile) ? profile : "/";
    }

    private static List<string> BuildWindowsBasics(IDictionary agentEnvironment, ChildEnvironmentPlatform platform)
    {
        // Windows names are case-insensitive: the agent may have "Path", "PATH" or "path".
        var agent = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in agentEnvironment)
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                agent.TryAdd(name, value);
            }
        }

        var path = agent.GetValueOrDefault("PATH");
        var result = new List<string>
        {
            ChildEnvironmentPlatform.WindowsPathName + "=" + (string.IsNullOrEmpty(path) || path.Contains('\0', StringComparison.Ordinal)
                ? platform.WindowsSystemPath(agent.GetValueOrDefault)
                : path),
        };
        foreach (var (name, value) in platform.WindowsBasics(agent.GetValueOrDefault, fixedProgramLookup: false))
        {
            result.Add(name + "=" + value);
        }

        result.Add("TERM=" + Term);
        return result;
    }

    private static bool IsPassedThrough(string name, StringComparison comparison) =>
        name.Equals("LANG", comparison) || name.Equals("LANGUAGE", comparison) || name.Equals("TZ", comparison)
        || (name.StartsWith("LC_", comparison) && name.Length > 3);
}
