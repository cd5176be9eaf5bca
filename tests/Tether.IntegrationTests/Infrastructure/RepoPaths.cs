namespace Tether.IntegrationTests.Infrastructure;

/// <summary>Locates the repository the tests were built from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds <c>Tether.slnx</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary><c>tests/peer</c>, the Node.js peer server.</summary>
    public static string PeerDirectory => Path.Combine(Root, "tests", "peer");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tether.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No Tether.slnx found in {AppContext.BaseDirectory} or any folder above it; run the tests from a checkout of the repository.");
    }
}
