namespace Tether.Platform.Pty;

/// <summary>What to start in a new pseudo-terminal.</summary>
/// <param name="File">
/// The program: an absolute path, or a name looked up in the PATH of
/// <paramref name="Environment"/> (the agent's own PATH when that list has none).
/// </param>
/// <param name="Arguments">Arguments after the program name (argv[1..]).</param>
/// <param name="Environment">The complete environment as <c>NAME=value</c> entries; nothing is inherited.</param>
/// <param name="WorkingDirectory">Existing directory the program starts in.</param>
/// <param name="Columns">Initial width, 1–<see cref="MaxDimension"/>.</param>
/// <param name="Rows">Initial height, 1–<see cref="MaxDimension"/>.</param>
internal sealed record PtyStartOptions(
    string File,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> Environment,
    string WorkingDirectory,
    int Columns = 80,
    int Rows = 24)
{
    /// <summary>Largest accepted width or height (docs/protocol.md §3 shell_resize: 1–1000).</summary>
    internal const int MaxDimension = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot be used.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(File);
        ArgumentNullException.ThrowIfNull(Arguments);
        ArgumentNullException.ThrowIfNull(Environment);
        ArgumentException.ThrowIfNullOrEmpty(WorkingDirectory);
        ValidateSize(Columns, Rows);
        if (File.Contains('\0', StringComparison.Ordinal) || WorkingDirectory.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("File and working directory must not contain NUL.");
        }

        // A relative path with a slash would resolve against the agent's directory when
        // checked but the child's when executed; accept only unambiguous forms.
        if (File.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(File))
        {
            throw new ArgumentException("File must be an absolute path or a bare name looked up in PATH.", nameof(File));
        }

        if (!Path.IsPathRooted(WorkingDirectory))
        {
            throw new ArgumentException("Working directory must be an absolute path.", nameof(WorkingDirectory));
        }

        foreach (var argument in Arguments)
        {
            if (argument is null || argument.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("Arguments must not be null or contain NUL.", nameof(Arguments));
            }
        }

        foreach (var entry in Environment)
        {
            if (entry is null || entry.Contains('\0', StringComparison.Ordinal) || entry.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                throw new ArgumentException("Environment entries must look like NAME=value.", nameof(Environment));
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless both values are 1–<see cref="MaxDimension"/>.</summary>
    internal static void ValidateSize(int columns, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxDimension);
    }
}
