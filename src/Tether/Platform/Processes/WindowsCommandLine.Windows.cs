using System.Text;

namespace Tether.Platform.Processes;

/// <summary>
/// Builds a CreateProcess command line that CommandLineToArgvW (and the MSVC C runtime) split
/// back into exactly the given argv. Pure; tested on every OS.
/// </summary>
/// <remarks>
/// Rules (CommandLineToArgvW, "Parsing C++ command-line arguments"): arguments are separated
/// by spaces or tabs; a double quote starts or ends a quoted part; 2n backslashes before a
/// quote are n backslashes and the quote is a delimiter, 2n+1 backslashes before a quote are n
/// backslashes and a literal quote; backslashes not before a quote are literal. argv[0] is
/// special: it is read up to the next space (or, when it starts with a quote, up to the next
/// quote) with no backslash processing, so it may contain no quote at all. A batch file is
/// parsed again by cmd.exe with other rules; callers keep arguments away from those.
/// </remarks>
internal static class WindowsCommandLine
{
    /// <summary>CreateProcess's limit on lpCommandLine, in UTF-16 units including the NUL.</summary>
    internal const int MaxLength = 32767;

    /// <summary>The command line for <paramref name="program"/> (argv[0]) followed by <paramref name="arguments"/>.</summary>
    /// <exception cref="ArgumentException">
    /// argv[0] is empty or contains a quote or NUL, an argument contains NUL, or the result is
    /// longer than <see cref="MaxLength"/> - 1.
    /// </exception>
    internal static string Build(string program, IReadOnlyList<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        ArgumentNullException.ThrowIfNull(arguments);
        if (program.Contains('"', StringComparison.Ordinal) || program.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The program name must not contain a double quote or NUL.", nameof(program));
        }

        var builder = new StringBuilder(program.Length + 2 + (arguments.Count * 8));
        if (NeedsQuotes(program))
        {
            builder.Append('"').Append(program).Append('"');
        }
        else
        {
            builder.Append(program);
        }

        foreach (var argument in arguments)
        {
            ArgumentNullException.ThrowIfNull(argument, nameof(arguments));
            if (argument.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("Arguments must not contain NUL.", nameof(arguments));
            }

            builder.Append(' ');
            AppendArgument(builder, argument);
        }

        if (builder.Length >= MaxLength)
        {
            throw new ArgumentException($"The command line is longer than {MaxLength - 1} characters.", nameof(arguments));
        }

        return builder.ToString();
    }

    /// <summary>Appends one argument (not argv[0]) so that it parses back unchanged.</summary>
    internal static void AppendArgument(StringBuilder builder, string argument)
    {
        if (argument.Length > 0 && !NeedsQuotes(argument))
        {
            builder.Append(argument);
            return;
        }

        builder.Append('"');
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            if (c == '"')
            {
                // n backslashes before a quote: 2n+1 of them, so they and the quote stay literal.
                builder.Append('\\', (backslashes * 2) + 1).Append('"');
            }
            else
            {
                builder.Append('\\', backslashes).Append(c);
            }

            backslashes = 0;
        }

        // Before the closing quote, n backslashes must be doubled or they would escape it.
        builder.Append('\\', backslashes * 2).Append('"');
    }

    /// <summary>True for Windows batch scripts, which cmd.exe runs and whose arguments it re-parses.</summary>
    internal static bool IsBatchFile(string path) =>
        path.EndsWith(".bat", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".cmd", StringComparison.OrdinalIgnoreCase);

    // Quote anything with whitespace (space and tab split; newline and vertical tab are quoted
    // too, as the runtime's own argument pasting does) or a quote.
    private static bool NeedsQuotes(string value) =>
        value.AsSpan().IndexOfAny(" \t\n\v\"") >= 0;
}
