using System.Text.RegularExpressions;

namespace Tether.Commands;

/// <summary>
/// The one list of programs known to run other commands (or code) given in their arguments
/// (docs/protocol.md §4): a prefix allowlist entry for one of them admits any trailing argument, so
/// <c>"tar -czf /backup/etc.tgz /etc"</c> also admits <c>… --checkpoint-action=exec=sh</c>.
/// <c>tether check</c> and the agent's start warn about such entries and suggest the exact form
/// (an entry ending in <c> $</c>). Thread-safe: immutable.
/// </summary>
internal static partial class ArgumentExecutingPrograms
{
    // By base name. Each runs a command, a script or code taken from its arguments or options:
    // tar --checkpoint-action=exec / --to-command / --use-compress-program, find -exec, rsync -e,
    // ssh/scp/sftp -o ProxyCommand, env/xargs/nice/nohup/timeout/… run their operands, awk and sed
    // (sed 's/x/y/e', w files) and the interpreters run program text, git -c core.sshCommand /
    // aliases, zip -TT, tcpdump -z, less/man/vi shell escapes, make recipes, shells -c.
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "tar", "bsdtar", "find", "rsync", "ssh", "scp", "sftp", "env", "xargs", "awk", "gawk", "mawk", "nawk",
        "sed", "git", "perl", "python", "ruby", "node", "nodejs", "php", "lua", "tclsh", "expect",
        "sh", "bash", "dash", "zsh", "ksh", "fish", "csh", "tcsh", "busybox",
        "sudo", "su", "doas", "runuser", "setpriv", "nice", "ionice", "nohup", "timeout", "stdbuf", "chrt", "taskset",
        "time", "watch", "flock", "setsid", "chroot", "nsenter", "unshare", "systemd-run", "strace", "ltrace", "gdb",
        "docker", "podman", "kubectl", "make", "vi", "vim", "nvim", "less", "more", "man", "tcpdump", "zip", "openssl",
        "crontab", "at", "parallel", "socat", "nc", "ncat",
    };

    /// <summary>True when <paramref name="program"/> (a path or a name) is one of the list, versioned interpreters included (<c>python3.11</c>, <c>perl5.36</c>).</summary>
    public static bool Contains(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var name = Path.GetFileName(program);
        return Names.Contains(name) || Names.Contains(VersionSuffix().Replace(name, string.Empty));
    }

    [GeneratedRegex(@"[0-9][0-9.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();
}
