namespace Tether.Config;

/// <summary>The <c>shell</c> section (docs/protocol.md §3).</summary>
internal sealed class ShellSettings
{
    /// <summary>Program to run; null means the platform default (see <see cref="ResolveCommand"/>).</summary>
    public string? Command { get; init; }

    /// <summary>Arguments for <see cref="Command"/>; ignored when Command is null.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    public ShellOutputEncoding OutputEncoding { get; init; } = ShellOutputEncoding.Utf8;

    /// <summary>0–86400, default 30.</summary>
    public int ReconnectGraceSec { get; init; } = 30;

    /// <summary>
    /// The program and arguments to start: the configured command, else <c>/bin/bash -l</c> when
    /// /bin/bash exists, else <c>/bin/sh</c>; <c>cmd.exe</c> on Windows.
    /// </summary>
    public (string File, IReadOnlyList<string> Args) ResolveCommand(Func<string, bool>? fileExists = null)
    {
        if (Command is not null)
        {
            return (Command, Args);
        }

        if (OperatingSystem.IsWindows())
        {
            return ("cmd.exe", []);
        }

        fileExists ??= File.Exists;
        return fileExists("/bin/bash") ? ("/bin/bash", ["-l"]) : ("/bin/sh", []);
    }
}
