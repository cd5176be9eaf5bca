using System.Collections;

namespace Tether.Shell;

/// <summary>
/// The environment a shell starts with, built explicitly rather than inherited: the agent's own
/// variables (tokens, proxies, config overrides) have no business in an operator's terminal.
/// </summary>
internal static class ShellEnvironment
{
    public const string Term = "xterm-256color";

    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// <c>PATH</c>, <c>HOME</c>, <c>USER</c>/<c>LOGNAME</c>, <c>SHELL</c>, <c>TERM</c>; <c>LANG</c>,
    /// <c>LANGUAGE</c>, <c>LC_*</c> and <c>TZ</c> from <paramref name="agentEnvironment"/> when set.
    /// </summary>
    public static List<string> Build(IDictionary agentEnvironment, string home, string user, string shell)
    {
        ArgumentNullException.ThrowIfNull(agentEnvironment);
        var path = agentEnvironment["PATH"] as string;
        var result = new List<string>
        {
            "PATH=" + (string.IsNullOrEmpty(path) ? DefaultPath : path),
            "HOME=" + home,
            "USER=" + user,
            "LOGNAME=" + user,
            "SHELL=" + shell,
            "TERM=" + Term,
        };

        var passed = new List<string>();
        foreach (DictionaryEntry entry in agentEnvironment)
        {
            if (entry.Key is string name && entry.Value is string value && IsPassedThrough(name) && !value.Contains('\0', StringComparison.Ordinal))
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

    private static bool IsPassedThrough(string name) =>
        name is "LANG" or "LANGUAGE" or "TZ" || (name.StartsWith("LC_", StringComparison.Ordinal) && name.Length > 3);
}
