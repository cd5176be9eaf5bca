namespace Tether.Platform.Processes;

/// <summary>What to start as a child process with piped output (admin commands, docs/protocol.md §4).</summary>
/// <param name="File">An absolute path, or a name looked up in the PATH of <paramref name="Environment"/>.</param>
/// <param name="Arguments">argv[1..].</param>
/// <param name="Environment">The complete environment; nothing is inherited.</param>
/// <param name="WorkingDirectory">Existing absolute directory, or null for the agent's own.</param>
/// <param name="RedirectStandardInput">True: stdin is a pipe (<see cref="IChildProcess.StandardInput"/>); false: <c>/dev/null</c>.</param>
internal sealed record ChildProcessStartOptions(
    string File,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string? WorkingDirectory,
    bool RedirectStandardInput);
