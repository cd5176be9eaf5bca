using Tether.IntegrationTests.Infrastructure;

namespace Tether.IntegrationTests.Release;

/// <summary>
/// The files <c>scripts/release</c> made: <c>TETHER_RELEASE_DIR</c> when set (the test command
/// sets it), else <c>artifacts/release</c> of the checkout.
/// </summary>
internal static class ReleaseFiles
{
    /// <summary>Every target the release script builds, and the suffix of its file name.</summary>
    public static readonly IReadOnlyList<(string Target, string Suffix)> Targets =
    [
        ("linux-x64", ""), ("linux-arm64", ""), ("osx-x64", ""), ("osx-arm64", ""), ("win-x64", ".exe"), ("portable", ".tar.gz"),
    ];

    /// <summary>Debian's arm64 multiarch C library and OpenSSL (libc6:arm64, libssl3:arm64), which the binary links and loads under qemu-user.</summary>
    public static readonly string[] Arm64Libraries = ["/lib/ld-linux-aarch64.so.1", "/usr/lib/aarch64-linux-gnu/libssl.so.3"];

    public const string QemuAarch64 = "/usr/bin/qemu-aarch64";

    public static string Directory =>
        Environment.GetEnvironmentVariable("TETHER_RELEASE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(RepoPaths.Root, "artifacts", "release");

    /// <summary>The one file of <paramref name="target"/>; fails with what to run when it is missing.</summary>
    public static string PathOf(string target)
    {
        var suffix = Targets.Single(t => t.Target == target).Suffix;
        var matches = System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, $"tether-*-{target}{suffix}")
            : [];
        Assert.True(
            matches.Length == 1,
            $"Expected one tether-<version>-{target}{suffix} in {Directory}, found {matches.Length}. Run scripts/release first (the test command does), or set TETHER_RELEASE_DIR.");
        return matches[0];
    }

    /// <summary>Options that run the arm64 binary under Debian's qemu-user; fails when either is missing.</summary>
    public static AgentOptions UnderQemu(AgentOptions options)
    {
        Assert.True(File.Exists(QemuAarch64), $"{QemuAarch64} is missing: apt-get install qemu-user (the test command does).");
        foreach (var library in Arm64Libraries)
        {
            Assert.True(File.Exists(library), $"{library} is missing: dpkg --add-architecture arm64; apt-get install libc6:arm64 libssl3:arm64 (the test command does).");
        }

        return options with { Executable = QemuAarch64, ExecutableArgs = [PathOf("linux-arm64")] };
    }
}
