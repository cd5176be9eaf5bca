namespace Tether.Tests.Layering;

/// <summary>Where the clone is: the folder above the test binaries that holds Tether.slnx.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Source => Path.Join(Root, "src", "Tether");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "Tether.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no Tether.slnx above " + AppContext.BaseDirectory);
    }
}
