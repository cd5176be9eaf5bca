
namespace Tether.Platform.Processes;

/// <summary>
/// The OS a child environment (shell, admin command) is built for. The builders are pure and
/// take it as a parameter, so their Windows branch is unit-tested on Linux too.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
internal sealed class ChildEnvironmentPlatform
{
    private ChildEnvironmentPlatform(string? windowsDirectory) => WindowsDirectory = windowsDirectory;

    /// <summary>Linux and macOS.</summary>
    public static ChildEnvironmentPlatform Unix { get; } = new(null);

    /// <summary>The OS this agent runs on; on Windows with the system's Windows directory (FOLDERID_Windows).</summary>
    public static ChildEnvironmentPlatform Current { get; } =
        OperatingSystem.IsWindows() ? Windows(Environment.GetFolderPath(Environment.SpecialFolder.Windows)) : Unix;

    /// <summary>True for Windows.</summary>
    public bool IsWindows => WindowsDirectory is not null;

    /// <summary>On Windows, the child's <c>SystemRoot</c> when the agent's environment has none (or not a full path); else null.</summary>
    public string? WindowsDirectory { get; }

    /// <summary>The name Windows spells its program search path with: <c>Path</c>.</summary>
    public const string WindowsPathName = WindowsChildEnvironment.PathName;

    /// <summary>
    /// Windows: the system program path built from the child's <c>SystemRoot</c> (the agent's
    /// when it is a full path, else <see cref="WindowsDirectory"/>).
    /// </summary>
    public string WindowsSystemPath(Func<string, string?> agentVariable) =>
        WindowsChildEnvironment.SystemPath(WindowsChildEnvironment.SystemRoot(agentVariable, RequireWindows()));

    /// <summary>
    /// Windows: the variables Windows programs need (SystemRoot, ComSpec, PATHEXT, TEMP,
    /// USERPROFILE, …) with canonical names; <paramref name="fixedProgramLookup"/> fixes ComSpec
    /// and PATHEXT to the system's instead of the agent's.
    /// </summary>
    public List<KeyValuePair<string, string>> WindowsBasics(Func<string, string?> agentVariable, bool fixedProgramLookup) =>
        WindowsChildEnvironment.Basics(agentVariable, RequireWindows(), fixedProgramLookup);

    /// <summary>Windows, with <paramref name="windowsDirectory"/> (<c>C:\Windows</c> when it is not a full path).</summary>
    public static ChildEnvironmentPlatform Windows(string? windowsDirectory) =>
        new(windowsDirectory is not null && WindowsExecutableLookup.IsFullyQualified(windowsDirectory)
            ? windowsDirectory
            : WindowsChildEnvironment.DefaultSystemRoot);

    private string RequireWindows() =>
        WindowsDirectory ?? throw new InvalidOperationException("a Windows environment asked of a Unix child");
}
