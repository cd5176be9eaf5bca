using System.Globalization;

namespace Tether.Update;

/// <summary>A semantic version (semver.org 2.0.0): MAJOR.MINOR.PATCH, optional -prerelease and +build; ordered by §11 (build ignored).</summary>
internal sealed class SemVersion : IComparable<SemVersion>
{
    private SemVersion(long major, long minor, long patch, string[] prerelease, string text)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        Prerelease = prerelease;
        Text = text;
    }

    public long Major { get; }

    public long Minor { get; }

    public long Patch { get; }

    public IReadOnlyList<string> Prerelease { get; }

    /// <summary>As written.</summary>
    public string Text { get; }

    public static bool TryParse(string? text, out SemVersion version)
    {
        version = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 128)
        {
            return false;
        }

        string core = text;
        int plus = core.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!Identifiers(core[(plus + 1)..], numericRule: false, out _))
            {
                return false;
            }

            core = core[..plus];
        }

        string[] prerelease = [];
        int dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!Identifiers(core[(dash + 1)..], numericRule: true, out prerelease))
            {
                return false;
            }

            core = core[..dash];
        }

        string[] parts = core.Split('.');
        if (parts.Length != 3 || !Number(parts[0], out long major) || !Number(parts[1], out long minor) || !Number(parts[2], out long patch))
        {
            return false;
        }

        version = new SemVersion(major, minor, patch, prerelease, text);
        return true;
    }

    public int CompareTo(SemVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = Major.CompareTo(other.Major);
        c = c != 0 ? c : Minor.CompareTo(other.Minor);
        c = c != 0 ? c : Patch.CompareTo(other.Patch);
        if (c != 0)
        {
            return c;
        }

        // A pre-release is lower than the release; identifiers compare numerically when both are numbers.
        if (Prerelease.Count == 0 || other.Prerelease.Count == 0)
        {
            return other.Prerelease.Count.CompareTo(Prerelease.Count);
        }

        for (int i = 0; i < Math.Min(Prerelease.Count, other.Prerelease.Count); i++)
        {
            string a = Prerelease[i];
            string b = other.Prerelease[i];
            bool aNumber = long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out long an);
            bool bNumber = long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out long bn);
            c = (aNumber, bNumber) switch
            {
                (true, true) => an.CompareTo(bn),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a, b),
            };
            if (c != 0)
            {
                return Math.Sign(c);
            }
        }

        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    public override string ToString() => Text;

    private static bool Number(string text, out long value)
    {
        value = 0;
        return text.Length > 0 && (text.Length == 1 || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool Identifiers(string text, bool numericRule, out string[] identifiers)
    {
        identifiers = text.Split('.');
        foreach (string id in identifiers)
        {
            if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }

            if (numericRule && id.Length > 1 && id[0] == '0' && id.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        return true;
    }
}
