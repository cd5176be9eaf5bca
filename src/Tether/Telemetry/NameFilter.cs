using DotNet.Globbing;

namespace Tether.Telemetry;

/// <summary>
/// Allow/deny globs over names (<c>stats.sensors</c>, <c>stats.excludeMounts</c>; docs/protocol.md §3):
/// a name passes when it matches no deny glob (written <c>!glob</c>) and, when allow globs are
/// given, at least one of them. <c>*</c> stays within one <c>/</c>-separated part, <c>**</c> spans parts.
/// </summary>
/// <remarks>
/// Not thread-safe: decisions are remembered per name, since the names a host reports are few and
/// stable, so a steady sample matches no glob at all.
/// </remarks>
internal sealed class NameFilter
{
    private const int MaxRemembered = 4096;

    private readonly Glob[] _allow;
    private readonly Glob[] _deny;
    private readonly Dictionary<string, bool> _decisions = new(StringComparer.Ordinal);

    private NameFilter(Glob[] allow, Glob[] deny)
    {
        _allow = allow;
        _deny = deny;
    }

    /// <summary>A filter that lets everything through.</summary>
    public static NameFilter All { get; } = new([], []);

    /// <summary>Allow and <c>!</c>-prefixed deny globs, as <c>stats.sensors</c> holds them.</summary>
    public static NameFilter FromRules(IEnumerable<string> rules)
    {
        var allow = new List<Glob>();
        var deny = new List<Glob>();
        foreach (string rule in rules)
        {
            if (rule.StartsWith('!'))
            {
                deny.Add(Glob.Parse(rule[1..]));
            }
            else
            {
                allow.Add(Glob.Parse(rule));
            }
        }

        return new NameFilter([.. allow], [.. deny]);
    }

    /// <summary>Deny globs only, as <c>stats.excludeMounts</c> holds them.</summary>
    public static NameFilter Excluding(IEnumerable<string> globs) =>
        new([], [.. globs.Select(g => Glob.Parse(g))]);

    public bool IsAllowed(string name)
    {
        if (_allow.Length == 0 && _deny.Length == 0)
        {
            return true;
        }

        if (_decisions.TryGetValue(name, out bool allowed))
        {
            return allowed;
        }

        allowed = !_deny.Any(g => g.IsMatch(name)) && (_allow.Length == 0 || _allow.Any(g => g.IsMatch(name)));
        if (_decisions.Count < MaxRemembered)
        {
            _decisions[name] = allowed;
        }

        return allowed;
    }
}
