using System.Text;

namespace Tether.Backup;

/// <summary>
/// The job's <c>ignoreGlobs</c> as one exclude list, used by the planner, the local copier and
/// (as <c>--exclude=</c> arguments) remote rsync, so plan and execution select the same files
/// (docs/protocol.md §5). An excluded directory is not descended. Immutable, thread-safe.
/// </summary>
internal sealed class ExcludeRules
{
    private readonly ExcludeRule[] _rules;

    private ExcludeRules(ExcludeRule[] rules) => _rules = rules;

    public static ExcludeRules None { get; } = new([]);

    public IReadOnlyList<ExcludeRule> Rules => _rules;

    public static bool TryCreate(IReadOnlyList<string> globs, out ExcludeRules? rules, out string error)
    {
        var parsed = new ExcludeRule[globs.Count];
        for (int i = 0; i < globs.Count; i++)
        {
            if (!ExcludeRule.TryParse(globs[i], out var rule, out error))
            {
                rules = null;
                return false;
            }

            parsed[i] = rule!;
        }

        rules = new ExcludeRules(parsed);
        error = string.Empty;
        return true;
    }

    public bool IsExcluded(ReadOnlySpan<byte> relativePath, bool isDirectory)
    {
        foreach (var rule in _rules)
        {
            if (rule.IsMatch(relativePath, isDirectory))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsExcluded(string relativePath, bool isDirectory) =>
        _rules.Length != 0 && IsExcluded(Encoding.UTF8.GetBytes(relativePath), isDirectory);

    /// <summary>The rsync arguments for these rules, in order.</summary>
    public IEnumerable<string> ToRsyncArguments() => _rules.Select(static r => "--exclude=" + r.Text);
}
