namespace Tether.Policy;

/// <summary>
/// Which environment names an admin command's <c>cmd.env</c> may set (docs/protocol.md §4): the
/// allow list's fixed part and the names no configuration can allow. Shared by the config loader
/// (which refuses such names in <c>admin.allowedEnv</c>) and the command environment.
/// </summary>
/// <remarks>
/// <para>A request may always set <c>LANG</c>, <c>LC_*</c> and <c>TZ</c>; any other name must be
/// listed in <c>admin.allowedEnv</c>. A deny list cannot be complete (<c>TAR_OPTIONS</c>,
/// <c>RSYNC_RSH</c>, <c>RSYNC_CONNECT_PROG</c>, <c>SSLKEYLOGFILE</c>, <c>PHPRC</c>, … each turn an
/// allowlisted program into any program), so only listed names pass.</para>
/// <para><see cref="IsProtected"/> names choose which program runs, which configuration it loads,
/// or inject code into an allowed one (<c>LD_PRELOAD</c>, <c>BASH_ENV</c>, <c>GIT_SSH_COMMAND</c>,
/// <c>PYTHONSTARTUP</c>, <c>LESSOPEN</c>; on Windows <c>PATHEXT</c>, <c>ComSpec</c>,
/// <c>__COMPAT_LAYER</c>, the .NET profiler and startup-hook variables, …), or are fixed by the
/// agent (<c>PATH</c>, <c>HOME</c>). They are refused even when the configuration lists them, so
/// an operator's typo in <c>admin.allowedEnv</c> cannot hand the dashboard code execution. The list
/// is the same on every OS and compared case-insensitively. Thread-safe: stateless.</para>
/// </remarks>
internal static class EnvironmentNames
{
    /// <summary>The names every request may set, besides <c>LC_*</c>.</summary>
    public static readonly IReadOnlyList<string> AlwaysAllowed = ["LANG", "TZ"];

    /// <summary>The prefix of the locale category names every request may set.</summary>
    public const string LocalePrefix = "LC_";

    private static readonly HashSet<string> ProtectedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "PATH", "HOME", "IFS", "ENV", "BASH_ENV", "SHELLOPTS", "BASHOPTS", "PS4", "CDPATH", "GLOBIGNORE",
        "PROMPT_COMMAND", "EDITOR", "VISUAL", "PAGER", "MANPAGER", "LESSOPEN", "LESSCLOSE",
        "NODE_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
        "GCONV_PATH", "GLIBC_TUNABLES", "HOSTALIASES", "LOCPATH", "NLSPATH", "RESOLV_HOST_CONF",
        "SSH_ASKPASS", "SUDO_ASKPASS", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS",

        // Programs that read options that run commands, or a program to run, from the environment.
        "TAR_OPTIONS", "RSYNC_RSH", "RSYNC_CONNECT_PROG", "SSLKEYLOGFILE", "PHPRC", "NODE_PATH",
        "SVN_SSH", "CVS_RSH", "MANOPT", "KUBECONFIG", "APT_CONFIG",

        // Windows: program lookup and the interpreter batch files run in; a compatibility shim
        // layer (RunAsInvoker, …); PowerShell's module search path and execution policy; the
        // directories programs load per-user and machine-wide configuration from.
        "PATHEXT", "ComSpec", "SystemRoot", "windir", "__COMPAT_LAYER", "PSModulePath", "PSExecutionPolicyPreference",
        "USERPROFILE", "APPDATA", "LOCALAPPDATA", "ProgramData", "ALLUSERSPROFILE", "HOMEDRIVE", "HOMEPATH",
    };

    private static readonly string[] ProtectedPrefixes =
    [
        "LD_", "DYLD_", "BASH_FUNC_", "GIT_", "PYTHON", "PERL", "RUBY", "SYSTEMD_", "MALLOC_", "OPENSSL_",

        // .NET: profilers (COR_ENABLE_PROFILING, CORECLR_PROFILER_PATH), startup hooks
        // (DOTNET_STARTUP_HOOKS), the runtime chosen (DOTNET_ROOT); COMPlus_ is DOTNET_'s old spelling.
        "COR_", "CORECLR_", "DOTNET_", "COMPLUS_",
    ];

    /// <summary>True for <c>LANG</c>, <c>TZ</c> and <c>LC_*</c>, compared as <paramref name="comparison"/> says.</summary>
    public static bool IsAlwaysAllowed(string name, StringComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.StartsWith(LocalePrefix, comparison) && name.Length > LocalePrefix.Length
            || AlwaysAllowed.Any(n => string.Equals(n, name, comparison));
    }

    /// <summary>True for names no request may set and no configuration may allow (see remarks).</summary>
    public static bool IsProtected(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ProtectedNames.Contains(name))
        {
            return true;
        }

        foreach (var prefix in ProtectedPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
