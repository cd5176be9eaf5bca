using System.Diagnostics.CodeAnalysis;
using Tether.Policy;

namespace Tether.Commands;

/// <summary>
/// The <c>admin.allowedCommands</c> allowlist (docs/protocol.md §4): an entry admits a command when
/// its words are a word-prefix of the command's words, compared ordinally; an entry ending in
/// <c> $</c> (a blank, then <c>$</c>) admits only the command whose words are exactly its own.
/// </summary>
/// <remarks>
/// An empty list admits nothing (the Go port admitted everything; never again). The entry
/// <c>"*"</c> (surrounding blanks ignored) admits every command, and must then be the only
/// entry; <see cref="AllowsEverything"/> lets the caller log the warning at start. Even then a
/// line must tokenize: shell operators are refused because no shell runs. Immutable and
/// thread-safe.
/// </remarks>
internal sealed class CommandPolicy
{
    /// <summary>What ends an exact entry: a blank, then <c>$</c> (in sh an unquoted trailing <c>$</c> is literal, so no command line can mean it).</summary>
    public const char ExactMarker = '$';

    private readonly IReadOnlyList<Entry> _entries;

    private CommandPolicy(IReadOnlyList<Entry> entries, bool allowsEverything, IReadOnlyList<string> warnings)
    {
        _entries = entries;
        AllowsEverything = allowsEverything;
        Warnings = warnings;
    }

    /// <summary>
    /// Entries worth a warning at start and in <c>tether check</c>: prefix entries whose program
    /// can run commands given in further arguments (<see cref="ArgumentExecutingPrograms"/>).
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True for the single entry <c>"*"</c>: log a warning at start.</summary>
    public bool AllowsEverything { get; }

    /// <summary>True when the list is empty: every command is refused.</summary>
    public bool AllowsNothing => !AllowsEverything && _entries.Count == 0;

    /// <summary>True when the allowlist admits the words <c>crontab -</c>, which the cron pipeline needs.</summary>
    public bool AllowsCrontabInstall => Admits(CronPipeline.CrontabInstallWords);

    /// <summary>
    /// Builds the policy from the configured entries. An entry that does not tokenize, or a
    /// <c>"*"</c> beside other entries, is a configuration error naming the entry.
    /// </summary>
    public static bool TryCreate(
        IReadOnlyList<string> allowedCommands,
        [NotNullWhen(true)] out CommandPolicy? policy,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(allowedCommands);
        policy = null;
        var entries = new List<Entry>(allowedCommands.Count);
        var warnings = new List<string>();
        var wildcard = false;
        for (var i = 0; i < allowedCommands.Count; i++)
        {
            var entry = allowedCommands[i];
            if (entry is null)
            {
                error = $"admin.allowedCommands[{i}] is null";
                return false;
            }

            if (entry.AsSpan().Trim(" \t").SequenceEqual("*"))
            {
                wildcard = true;
                continue;
            }

            var text = entry.AsSpan().TrimEnd(" \t");
            var exact = text.Length >= 2 && text[^1] == ExactMarker && text[^2] is ' ' or '\t';
            if (!CommandLineTokenizer.TryTokenize(exact ? text[..^1].ToString() : entry, out var words, out var reason))
            {
                error = $"admin.allowedCommands[{i}] \"{TextChecks.ForDisplay(entry)}\" is not a valid command: {reason}";
                return false;
            }

            entries.Add(new Entry(words, exact));
            if (!exact && ArgumentExecutingPrograms.Contains(words[0]))
            {
                warnings.Add(
                    $"admin.allowedCommands[{i}] \"{TextChecks.ForDisplay(entry)}\" admits any further arguments, and {TextChecks.ForDisplay(Path.GetFileName(words[0]))} " +
                    "can run commands given in its arguments; end the entry with \" $\" to admit only that exact command line");
            }
        }

        if (wildcard && allowedCommands.Count > 1)
        {
            error = "admin.allowedCommands: \"*\" allows every command and must be the only entry";
            return false;
        }

        policy = new CommandPolicy(entries, wildcard, warnings);
        error = null;
        return true;
    }

    /// <summary>
    /// Decides what to do with an <c>admin_run</c> command line: the cron pipeline (when the
    /// allowlist admits <c>crontab -</c>), an admitted command's argv, or a refusal whose
    /// reason is meant for stderr.
    /// </summary>
    public CommandDecision Evaluate(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        if (CronPipeline.TryMatch(commandLine, out var base64))
        {
            if (!AllowsCrontabInstall)
            {
                return CommandDecision.Refused(NotAdmitted(CronPipeline.CrontabInstallWords) + " (needed by the crontab update)");
            }

            return CronPipeline.TryDecodeBase64(base64, out var crontab, out var decodeError)
                ? CommandDecision.InstallCrontab(crontab)
                : CommandDecision.InvalidCrontab(decodeError + "; crontab left unchanged");
        }

        if (!CommandLineTokenizer.TryTokenize(commandLine, out var words, out var error))
        {
            return CommandDecision.Refused("refused: " + error + " (commands never run through a shell)");
        }

        return Admits(words) ? CommandDecision.Run(words) : CommandDecision.Refused(NotAdmitted(words));
    }

    /// <summary>True when some entry's words are a word-prefix of <paramref name="words"/>, or equal to them for an exact entry (ordinal).</summary>
    public bool Admits(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0)
        {
            return false;
        }

        if (AllowsEverything)
        {
            return true;
        }

        foreach (var entry in _entries)
        {
            if (IsWordPrefix(entry.Words, words) && (!entry.Exact || entry.Words.Count == words.Count))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWordPrefix(IReadOnlyList<string> prefix, IReadOnlyList<string> words)
    {
        if (prefix.Count == 0 || prefix.Count > words.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!string.Equals(prefix[i], words[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One allowlist entry: its words, and whether it admits only exactly them.</summary>
    private sealed record Entry(IReadOnlyList<string> Words, bool Exact);

    private string NotAdmitted(IReadOnlyList<string> words)
    {
        if (AllowsNothing)
        {
            return "refused by policy: admin.allowedCommands is empty, so no command may run";
        }

        return $"refused by policy: '{TextChecks.ForDisplay(CommandLineTokenizer.Join(words))}' is not in admin.allowedCommands";
    }
}
