using System.Globalization;
using System.Text.RegularExpressions;

namespace Tether.Backup;

/// <summary>
/// Reads <c>rsync --version</c> and says whether this rsync can run remote backups: the command
/// line <see cref="RemoteTarget"/> builds needs <c>--mkpath</c> (rsync 3.2.3) and
/// <c>--info=progress2</c> (3.1.0). Older ones are common where operators run the agent: macOS
/// ships rsync 2.6.9 or openrsync, Ubuntu 20.04 has 3.1.3. Without this check they fail with an
/// rsync usage error after ssh has connected; with it the <c>backup_error</c> names the version.
/// </summary>
/// <remarks>Pure and thread-safe.</remarks>
internal static partial class RsyncVersion
{
    /// <summary>The oldest rsync remote mode works with.</summary>
    public static readonly Version Required = new(3, 2, 3);

    /// <summary>
    /// The version in <paramref name="output"/> (first line <c>rsync  version 3.2.7  protocol
    /// version 31</c>, also with a <c>v</c> before the number); false for openrsync, whose output
    /// names only the rsync it is compatible with, and for anything unrecognised.
    /// </summary>
    public static bool TryParse(string output, out Version version)
    {
        ArgumentNullException.ThrowIfNull(output);
        version = new Version(0, 0);
        if (output.StartsWith("openrsync", StringComparison.Ordinal))
        {
            return false;
        }

        var match = VersionLine().Match(output);
        if (!match.Success)
        {
            return false;
        }

        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        version = new Version(Part(1), Part(2), Part(3));
        return true;
    }

    /// <summary>Null when <paramref name="output"/> shows a usable rsync; else the error for <c>backup_error</c>.</summary>
    public static string? Check(string rsyncPath, string output)
    {
        ArgumentNullException.ThrowIfNull(rsyncPath);
        ArgumentNullException.ThrowIfNull(output);
        string need = $"remote backups need rsync {Required} or newer (--mkpath, --info=progress2)";
        if (output.StartsWith("openrsync", StringComparison.Ordinal))
        {
            return $"{need}; {rsyncPath} is openrsync: install rsync (for example from Homebrew) and put it first in the agent's PATH";
        }

        if (!TryParse(output, out var version))
        {
            return $"{need}; {rsyncPath} --version did not name a version";
        }

        return version < Required ? $"{need}; {rsyncPath} is {version}" : null;
    }

    [GeneratedRegex(@"^rsync\s+version\s+v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?", RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();
}
