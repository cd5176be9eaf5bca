using System.Security.Cryptography;
using Tether.IntegrationTests.Infrastructure;
using Tether.IntegrationTests.Update;

namespace Tether.IntegrationTests.Windows;

/// <summary>
/// The win-x64 file under test (<c>TETHER_AGENT_BIN</c>, run by <c>TETHER_AGENT_LAUNCHER</c>) and a
/// second win-x64 single file of the same sources with the next patch version, published the
/// way scripts/release publishes win-x64 and kept under the temp folder per agent file (like
/// <see cref="HigherBuild"/>), so a test run pays for it once.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class WindowsHigherBuild
{
    private static readonly Lazy<Task<string>> LazyPath = new(BuildAsync);

    public static string Current => HigherBuild.Current;

    public static string Launcher =>
        Environment.GetEnvironmentVariable("TETHER_AGENT_LAUNCHER") is { Length: > 0 } launcher
            ? launcher
            : throw new InvalidOperationException("set TETHER_AGENT_LAUNCHER=/usr/lib/wine/wine64");

    public static string CurrentVersion => Version(Current);

    public static string NextVersion
    {
        get
        {
            var parts = CurrentVersion.Split('-')[0].Split('.');
            return $"{parts[0]}.{parts[1]}.{int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + 1}";
        }
    }

    public static Task<string> PathAsync() => LazyPath.Value;

    public static string Version(string binary)
    {
        var run = HigherBuild.Run(Launcher, [binary, "--version"], null, TimeSpan.FromMinutes(1));
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} --version failed: {run.Output}");
        }

        // Wine may add its own lines; the version is the last one.
        return run.Output.Trim().Split('\n')[^1].Trim();
    }

    private static async Task<string> BuildAsync()
    {
        string next = NextVersion;
        string hash;
        await using (var stream = File.OpenRead(Current))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream))[..16];
        }

        string root = Path.Join(Path.GetTempPath(), "tether-update-build", "win-" + hash + "-" + next);
        string output = Path.Join(root, "out");
        string binary = Path.Join(output, "tether.exe");
        if (File.Exists(binary) && Version(binary) == next)
        {
            return binary;
        }

        string sources = Path.Join(root, "src");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        HigherBuild.CopyTree(Path.Join(RepoPaths.Root, "src", "Tether"), Path.Join(sources, "src", "Tether"));
        HigherBuild.CopyTree(Path.Join(RepoPaths.Root, "build"), Path.Join(sources, "build"));
        File.Copy(Path.Join(RepoPaths.Root, "Directory.Build.props"), Path.Join(sources, "Directory.Build.props"));
        var publish = HigherBuild.Run(
            "dotnet",
            [
                "publish", Path.Join(sources, "src", "Tether", "Tether.csproj"), "-c", "Release", "-r", "win-x64", "-nologo", "-clp:ErrorsOnly",
                "-p:PublishAot=false", "-p:SelfContained=true", "-p:PublishSingleFile=true", "-p:PublishTrimmed=true", "-p:EnableCompressionInSingleFile=true",
                "-p:Version=" + next, "-o", output,
            ],
            sources,
            TimeSpan.FromMinutes(15));
        if (publish.ExitCode != 0 || !File.Exists(binary))
        {
            throw new InvalidOperationException($"publishing win-x64 version {next} failed: {publish.Output}");
        }

        return binary;
    }
}
