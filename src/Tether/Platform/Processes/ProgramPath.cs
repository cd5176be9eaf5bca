namespace Tether.Platform.Processes;

/// <summary>Finds the tools the agent runs itself (rsync, ssh) on its own PATH.</summary>
internal static class ProgramPath
{
    /// <summary>The full path of <paramref name="name"/> on the agent's PATH; null when absent, and on Windows, which has no such tools.</summary>
    public static string? Find(string name) =>
        OperatingSystem.IsWindows() ? null : ExecutableLookup.Resolve(name, Environment.GetEnvironmentVariable("PATH"));
}
