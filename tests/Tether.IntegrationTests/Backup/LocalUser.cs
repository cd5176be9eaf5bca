using System.Diagnostics;
using Tether.IntegrationTests.Commands;

namespace Tether.IntegrationTests.Backup;

/// <summary>
/// An unprivileged local user (created with useradd when missing) who owns the trees a root
/// agent backs up and attacks them: every action runs as that user through <c>setpriv</c>. Needs root.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class LocalUser
{
    private LocalUser(string name, int uid, int gid)
    {
        Name = name;
        Uid = uid;
        Gid = gid;
    }

    public string Name { get; }

    public int Uid { get; }

    public int Gid { get; }

    public static LocalUser Ensure(string name)
    {
        UnprivilegedAgent.EnsureUser(name);
        return new LocalUser(name, int.Parse(Id("-u", name)), int.Parse(Id("-g", name)));
    }

    /// <summary>Runs <paramref name="script"/> with /bin/sh as this user; fails the test when it fails.</summary>
    public void Sh(string script)
    {
        var (code, output) = UnprivilegedAgent.Run("setpriv", $"--reuid={Name}", $"--regid={Name}", "--init-groups", "--", "/bin/sh", "-ec", script);
        Assert.True(code == 0, $"as {Name}: {script}\n{output}");
    }

    /// <summary>Gives <paramref name="path"/> (and all below it) to this user, as if the user had made it.</summary>
    public void Own(string path)
    {
        var (code, output) = UnprivilegedAgent.Run("chown", "-R", "-h", $"{Uid}:{Gid}", path);
        Assert.True(code == 0, output);
    }

    private static string Id(string flag, string name)
    {
        using var p = Process.Start(new ProcessStartInfo("id", [flag, name]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }
}
