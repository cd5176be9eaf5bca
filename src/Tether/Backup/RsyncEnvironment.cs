using System.Diagnostics;

namespace Tether.Backup;

/// <summary>
/// The environment rsync and the ssh it starts get (docs/protocol.md §5): a fixed <c>PATH</c>,
/// <c>LC_ALL=C</c> (the progress parser reads C-locale numbers), and only the agent's
/// <c>HOME</c>, <c>TZ</c> and <c>SSH_AUTH_SOCK</c> (an ssh-agent the host set up); never the
/// agent's whole environment, which may hold <c>AUTH_TOKEN</c> or variables that make rsync or
/// ssh run other programs (<c>RSYNC_RSH</c>, <c>RSYNC_CONNECT_PROG</c>, <c>LD_PRELOAD</c>…).
/// Windows keeps the few variables its processes need to start. Pure apart from reading the
/// agent's environment; thread-safe.
/// </summary>
internal static class RsyncEnvironment
{
    public const string UnixPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static readonly string[] UnixPassed = ["HOME", "TZ", "SSH_AUTH_SOCK"];

    private static readonly string[] WindowsPassed = ["SystemRoot", "SystemDrive", "windir", "PATH", "PATHEXT", "ComSpec", "TEMP", "TMP", "USERPROFILE", "HOMEDRIVE", "HOMEPATH", "SSH_AUTH_SOCK"];

    /// <summary>Replaces <paramref name="psi"/>'s environment (a copy of the agent's by default) with the minimal one.</summary>
    public static void Apply(ProcessStartInfo psi)
    {
        var env = psi.Environment;
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in OperatingSystem.IsWindows() ? WindowsPassed : UnixPassed)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                kept[name] = value;
            }
        }

        env.Clear();
        foreach (var (name, value) in kept)
        {
            env[name] = value;
        }

        if (!OperatingSystem.IsWindows())
        {
            env["PATH"] = UnixPath;
        }

        env["LC_ALL"] = "C";
    }
}
