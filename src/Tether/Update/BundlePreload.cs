using System.Reflection;

namespace Tether.Update;

/// <summary>
/// Windows' release is a single-file bundle (not NativeAOT): the runtime loads each managed
/// assembly from <c>tether.exe</c> by its path the first time it is needed. A self-update renames
/// the running <c>tether.exe</c> aside and puts another file at that path (docs/protocol.md §10),
/// after which a first load would read the new file and fail (seen under Wine as a
/// FileNotFoundException in the restart). So before a rename can happen — at the start of
/// <c>run</c>, which also covers a <c>tether update</c> by hand renaming a running service's file,
/// and before an install — every assembly the bundle references is loaded once. Elsewhere
/// (NativeAOT, <c>dotnet tether.dll</c>) it does nothing.
/// </summary>
internal static class BundlePreload
{
    private static int _done;

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only assemblies the bundle holds are loaded; a reference the trimmer removed fails to load and is skipped.")]
    public static void LoadAll()
    {
        if (!OperatingSystem.IsWindows() || Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Stack<Assembly>();
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            pending.Push(entry);
        }

        while (pending.TryPop(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (name.Name is null || !seen.Add(name.Name))
                {
                    continue;
                }

                try
                {
                    pending.Push(Assembly.Load(name));
                }
                catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // A reference the trimmer removed with all its uses: never needed.
                }
            }
        }
    }
}
