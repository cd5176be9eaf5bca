namespace Tether.Platform.Processes;

/// <summary>
/// What a minimal but working Windows child environment carries beyond PATH, shared by the
/// shell and admin-command builders. Pure: the agent's environment is read through a function,
/// so it is tested on Linux.
/// </summary>
/// <remarks>
/// Many programs fail without <c>SystemRoot</c> (cmd.exe, PowerShell, anything using Winsock or
/// CryptoAPI); cmd needs <c>ComSpec</c> and <c>PATHEXT</c>. Names are emitted as Windows spells
/// them, whatever case the agent's environment uses. Thread-safe: stateless.
/// </remarks>
internal static class WindowsChildEnvironment
{
    /// <summary><c>SystemRoot</c> when neither the agent's environment nor the system names one.</summary>
    internal const string DefaultSystemRoot = @"C:\Windows";

    /// <summary>PATHEXT of a stock Windows 10/11.</summary>
    internal const string StockPathExt = ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC";

    /// <summary>Canonical spelling of PATH on Windows.</summary>
    internal const string PathName = "Path";

    /// <summary>Copied from the agent when set, in this order, with this spelling.</summary>
    internal static readonly IReadOnlyList<string> CopiedNames =
    [
        "SystemDrive", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "ProgramData", "ALLUSERSPROFILE",
        "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "CommonProgramFiles", "CommonProgramFiles(x86)", "CommonProgramW6432",
        "COMPUTERNAME", "USERNAME", "USERDOMAIN", "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "OS",
    ];

    /// <summary>
    /// <c>%SystemRoot%\system32;%SystemRoot%;%SystemRoot%\System32\Wbem;%SystemRoot%\System32\WindowsPowerShell\v1.0\</c>,
    /// the system part of a stock PATH.
    /// </summary>
    internal static string SystemPath(string systemRoot)
    {
        var root = Trim(systemRoot);
        return $@"{root}\system32;{root};{root}\System32\Wbem;{root}\System32\WindowsPowerShell\v1.0\";
    }

    /// <summary>
    /// <c>SystemRoot</c>, <c>windir</c>, <c>ComSpec</c>, <c>PATHEXT</c> (always), then those of
    /// <see cref="CopiedNames"/> that <paramref name="agentVariable"/> has (empty counts as set;
    /// a value with NUL as unset).
    /// </summary>
    /// <param name="agentVariable">The agent's variable by name, case-insensitively.</param>
    /// <param name="fallbackSystemRoot">Used when the agent has no fully qualified <c>SystemRoot</c>.</param>
    /// <param name="fixedProgramLookup">
    /// True (admin commands): <c>ComSpec</c> and <c>PATHEXT</c> are derived, never the agent's,
    /// like PATH, because they choose which program runs. False (shell): the agent's when set.
    /// </param>
    internal static List<KeyValuePair<string, string>> Basics(Func<string, string?> agentVariable, string fallbackSystemRoot, bool fixedProgramLookup)
    {
        ArgumentNullException.ThrowIfNull(agentVariable);
        var systemRoot = SystemRoot(agentVariable, fallbackSystemRoot);
        var comSpec = Trim(systemRoot) + @"\system32\cmd.exe";
        var result = new List<KeyValuePair<string, string>>
        {
            new("SystemRoot", systemRoot),
            new("windir", Read(agentVariable, "windir") is { Length: > 0 } windir ? windir : systemRoot),
            new("ComSpec", !fixedProgramLookup && Read(agentVariable, "ComSpec") is { Length: > 0 } agentComSpec ? agentComSpec : comSpec),
            new("PATHEXT", fixedProgramLookup
                ? WindowsExecutableLookup.DefaultPathExt
                : Read(agentVariable, "PATHEXT") is { Length: > 0 } pathExt ? pathExt : StockPathExt),
        };

        foreach (var name in CopiedNames)
        {
            if (Read(agentVariable, name) is { } value)
            {
                result.Add(new(name, value));
            }
        }

        return result;
    }

    /// <summary>The agent's <c>SystemRoot</c> when it is a full path, else <paramref name="fallbackSystemRoot"/>.</summary>
    internal static string SystemRoot(Func<string, string?> agentVariable, string fallbackSystemRoot)
    {
        ArgumentNullException.ThrowIfNull(agentVariable);
        return Read(agentVariable, "SystemRoot") is { } value && WindowsExecutableLookup.IsFullyQualified(value) && value.AsSpan().IndexOfAny(";\"") < 0
            ? value
            : fallbackSystemRoot;
    }

    private static string? Read(Func<string, string?> agentVariable, string name) =>
        agentVariable(name) is { } value && !value.Contains('\0', StringComparison.Ordinal) ? value : null;

    // "C:\Windows\" and "C:\Windows" give the same derived paths.
    private static string Trim(string systemRoot) => systemRoot.TrimEnd('\\', '/');
}
