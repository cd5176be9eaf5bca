using System.Buffers;

namespace Tether.Backup;

/// <summary>
/// Builds the remote-mode rsync command line (docs/protocol.md §5) as an argv list:
/// <c>rsync -a --mkpath --info=progress2,name1 -e "ssh -p P -o BatchMode=yes -o StrictHostKeyChecking=yes …" --exclude=… /a/b/ user@host:&lt;destRoot&gt;/b/</c>.
/// The remote side still hands the destination to a shell, so paths, user and host are
/// limited to characters no shell splits or expands. Pure and thread-safe.
/// </summary>
internal static class RemoteTarget
{
    private static readonly SearchValues<char> SafePath = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._+,-=@%:");
    private static readonly SearchValues<char> SafeUser = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
    private static readonly SearchValues<char> SafeHost = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-:");

    /// <summary>Null when the path is safe for the remote shell; else why not.</summary>
    public static string? CheckRemotePath(string path, string what)
    {
        if (!path.StartsWith('/'))
        {
            return $"{what} must be an absolute path";
        }

        if (path.AsSpan().IndexOfAnyExcept(SafePath) >= 0)
        {
            return $"{what} '{path}' has characters the remote shell would split or expand (allowed: letters, digits and / . _ + , - = @ % :)";
        }

        if (path.Split('/').Any(static c => c == ".."))
        {
            return $"{what} must not contain '..'";
        }

        return null;
    }

    /// <summary>Null when user and host are usable on an rsync/ssh command line; else why not.</summary>
    public static string? CheckUserHost(string user, string host)
    {
        if (user.Length > 0 && (user.StartsWith('-') || user.AsSpan().IndexOfAnyExcept(SafeUser) >= 0))
        {
            return "user has characters that are not allowed";
        }

        if (host.StartsWith('-') || host.StartsWith('.') || host.AsSpan().IndexOfAnyExcept(SafeHost) >= 0)
        {
            return "host is not a valid host name or address";
        }

        return null;
    }

    /// <summary>Values given to rsync's <c>-e</c> are split by rsync on spaces; these config paths must not contain any.</summary>
    public static string? CheckSshOption(string? path, string key) =>
        path is not null && (path.Any(char.IsWhiteSpace) || path.Contains('"', StringComparison.Ordinal) || path.Contains('\'', StringComparison.Ordinal))
            ? $"{key} must not contain spaces or quotes"
            : null;

    public static string SshCommand(int port, string? knownHostsFile, string? identityFile)
    {
        var parts = new List<string> { "ssh", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes" };
        if (knownHostsFile is not null)
        {
            parts.Add("-o");
            parts.Add("UserKnownHostsFile=" + knownHostsFile);
        }

        if (identityFile is not null)
        {
            parts.Add("-i");
            parts.Add(identityFile);
            parts.Add("-o");
            parts.Add("IdentitiesOnly=yes");
        }

        return string.Join(' ', parts);
    }

    /// <summary>rsync's arguments (without the program name) for one source dir.</summary>
    public static List<string> RsyncArguments(string sourceDir, string user, string host, string destDir, int port, string? knownHostsFile, string? identityFile, ExcludeRules excludes, bool dryRun)
    {
        var args = new List<string> { "-a", "--mkpath" };
        if (dryRun)
        {
            args.Add("--dry-run");
            args.Add("--out-format=%n");
        }
        else
        {
            args.Add("--info=progress2,name1");
        }

        args.Add("-e");
        args.Add(SshCommand(port, knownHostsFile, identityFile));
        args.AddRange(excludes.ToRsyncArguments());
        args.Add(sourceDir.TrimEnd('/') + "/");
        string hostPart = host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
        args.Add((user.Length > 0 ? user + "@" : string.Empty) + hostPart + ":" + destDir.TrimEnd('/') + "/");
        return args;
    }
}
