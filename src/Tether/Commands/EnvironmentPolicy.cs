using System.Diagnostics.CodeAnalysis;
using Tether.Platform.Processes;
using Tether.Policy;

namespace Tether.Commands;

/// <summary>
/// Validates <c>cmd.env</c> and builds the minimal child environment of an admin command
/// (docs/protocol.md §4): <c>PATH</c>, <c>HOME</c>, <c>LANG</c>, <c>TZ</c> (on Windows also the basics
/// Windows programs need), then the request's entries.
/// </summary>
/// <remarks>
/// <para><c>PATH</c> is always fixed, never the agent's own: an allowlist word such as <c>ls</c>
/// must name the same program however the agent was started (systemd, docker, a login shell with
/// <c>.</c> or <c>~/bin</c> in its PATH, a Windows service or an interactive session). On Unix it
/// is <see cref="DefaultPath"/>; on Windows the system path built from <c>SystemRoot</c>
/// (<see cref="ChildEnvironmentPlatform.WindowsSystemPath"/>), spelt <c>Path</c>, with <c>ComSpec</c> and
/// <c>PATHEXT</c> fixed too for the same reason. <c>HOME</c>, <c>LANG</c> and <c>TZ</c> are copied
/// from the agent when set (empty counts as set); on Windows so are <c>SystemRoot</c>,
/// <c>windir</c>, <c>TEMP</c>, <c>USERPROFILE</c>, … (<see cref="ChildEnvironmentPlatform.WindowsBasics"/>),
/// and names are compared case-insensitively, as Windows does.</para>
/// <para>Request entries are added on top. Their names are an allow list: <c>LANG</c>, <c>LC_*</c>
/// and <c>TZ</c> (harmless, and useful: <c>LANG=C</c> for stable output), plus the names the host's
/// configuration lists in <c>admin.allowedEnv</c>; a deny list cannot be complete
/// (<c>TAR_OPTIONS</c> and <c>RSYNC_RSH</c> run commands through tar and rsync). On top of that,
/// the names in <see cref="EnvironmentNames.IsProtected"/> (<c>PATH</c>, <c>HOME</c>,
/// <c>LD_PRELOAD</c>, <c>BASH_ENV</c>, …) are refused whatever the configuration says (the config
/// loader refuses them in <c>admin.allowedEnv</c> too). Such a request is refused as a whole,
/// naming the variable, never silently trimmed. Values are never put in an error message
/// (docs/style.md: command env is not logged).</para>
/// <para>Thread-safe: stateless.</para>
/// </remarks>
internal static class EnvironmentPolicy
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public const int MaxEntries = 256;

    public const int MaxValueLength = 32 * 1024;

    private static readonly string[] Inherited = ["HOME", "LANG", "TZ"];

    /// <summary><c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TextChecks.IsPosixName(name);
    }

    /// <summary>True for names no request may set, whatever the configuration (<see cref="EnvironmentNames.IsProtected"/>).</summary>
    public static bool IsDenied(string name) => EnvironmentNames.IsProtected(name);

    /// <summary>The Unix environment (see the overload with a platform).</summary>
    public static bool TryBuild(
        IEnumerable<KeyValuePair<string, string>>? requested,
        Func<string, string?> agentVariable,
        IReadOnlyCollection<string> allowedNames,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, string>? environment,
        [NotNullWhen(false)] out string? error) =>
        TryBuild(requested, agentVariable, ChildEnvironmentPlatform.Unix, allowedNames, out environment, out error);

    /// <summary>
    /// Validates <paramref name="requested"/> (may be null: no entries) and builds the child
    /// environment for <paramref name="platform"/>. <paramref name="agentVariable"/> reads the
    /// agent's own environment (<see cref="Environment.GetEnvironmentVariable(string)"/> in
    /// production; on Windows it must be case-insensitive, as that one is). <paramref name="allowedNames"/>
    /// is <c>admin.allowedEnv</c>: the names a request may set besides <c>LANG</c>, <c>LC_*</c> and <c>TZ</c>.
    /// </summary>
    public static bool TryBuild(
        IEnumerable<KeyValuePair<string, string>>? requested,
        Func<string, string?> agentVariable,
        ChildEnvironmentPlatform platform,
        IReadOnlyCollection<string> allowedNames,
        [NotNullWhen(true)] out IReadOnlyDictionary<string, string>? environment,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(agentVariable);
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(allowedNames);
        environment = null;
        var names = platform.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var comparison = platform.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var result = new Dictionary<string, string>(names);
        if (platform.IsWindows)
        {
            result[ChildEnvironmentPlatform.WindowsPathName] =
                platform.WindowsSystemPath(agentVariable);
            foreach (var (name, value) in platform.WindowsBasics(agentVariable, fixedProgramLookup: true))
            {
                result[name] = value;
            }
        }
        else
        {
            result["PATH"] = DefaultPath;
        }

        foreach (var name in Inherited)
        {
            if (agentVariable(name) is { } value)
            {
                result[name] = value;
            }
        }

        var seen = new HashSet<string>(names);
        foreach (var (name, value) in requested ?? [])
        {
            if (seen.Count == MaxEntries)
            {
                error = $"env: too many entries (at most {MaxEntries})";
                return false;
            }

            if (name is null || !IsValidName(name))
            {
                error = $"env: name '{(name is null ? "(null)" : TextChecks.ForDisplay(name, 64))}' must match [A-Za-z_][A-Za-z0-9_]*";
                return false;
            }

            if (!seen.Add(name))
            {
                error = $"env: {name} is given twice";
                return false;
            }

            if (IsDenied(name))
            {
                error = $"env: {name} may not be set by a request (it could change which program runs or what it executes)";
                return false;
            }

            if (!EnvironmentNames.IsAlwaysAllowed(name, comparison) && !allowedNames.Contains(name, names))
            {
                error = $"env: {name} is not allowed (a request may set LANG, LC_* and TZ, and the names in admin.allowedEnv)";
                return false;
            }

            if (value is null)
            {
                error = $"env: {name} has no value";
                return false;
            }

            if (value.Length > MaxValueLength)
            {
                error = $"env: the value of {name} is too long (at most {MaxValueLength} characters)";
                return false;
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                error = $"env: the value of {name} contains NUL";
                return false;
            }

            if (TextChecks.IndexOfLoneSurrogate(value) >= 0)
            {
                error = $"env: the value of {name} is not valid UTF-16";
                return false;
            }

            result[name] = value;
        }

        environment = result;
        error = null;
        return true;
    }
}
