using System.Text.RegularExpressions;
using Tether.Config;

namespace Tether.Tests.Layering;

/// <summary>
/// The rules of docs/architecture.md, checked on the compiled agent (tether.dll) and its
/// sources: layers only point down, capabilities never reach sideways, and nothing outside
/// Platform/ touches P/Invoke declarations or an OS-specific platform type.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] OsSuffixes = [".Linux.cs", ".MacOS.cs", ".Unix.cs", ".Windows.cs"];

    private static readonly Lazy<Dictionary<string, HashSet<string>>> s_agentReferences =
        new(() => TypeReferenceCollector.Collect(typeof(AgentInfo).Assembly.Location));

    [Fact]
    public void EveryTetherNamespace_HasALayer_InDocsArchitecture()
    {
        var layers = LoadLayers();
        var missing = s_agentReferences.Value.Keys
            .Where(static t => t.StartsWith("Tether.", StringComparison.Ordinal))
            .Select(NamespaceOf)
            .Distinct()
            .Where(ns => layers.Find(ns) is null)
            .Order()
            .ToList();

        Assert.True(missing.Count == 0, "namespaces missing from the layers block of docs/architecture.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void CompiledAgent_UsesOnlyItsOwnModuleAndLowerLayers()
    {
        var violations = FindLayerViolations(LoadLayers(), s_agentReferences.Value);
        Assert.True(violations.Count == 0, "layering broken (docs/architecture.md):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void LayerCheck_FlagsASidewaysAndAnUpwardReference()
    {
        var layers = LoadLayers();
        var references = new Dictionary<string, HashSet<string>>
        {
            ["Tether.Backup.Planner"] = ["Tether.Commands.CommandPolicy", "Tether.Platform.Pty.IPty"],
            ["Tether.Transport.Connection"] = ["Tether.Kernel.AgentContext"],
        };

        var violations = FindLayerViolations(layers, references);

        Assert.Equal(
            ["Tether.Backup.Planner -> Tether.Commands.CommandPolicy", "Tether.Transport.Connection -> Tether.Kernel.AgentContext"],
            violations);
    }

    [Fact]
    public void NothingOutsidePlatform_UsesInteropOrAnOsSpecificType()
    {
        var violations = FindPlatformViolations(s_agentReferences.Value, OsSpecificTypes());
        Assert.True(violations.Count == 0, "platform code used outside src/Tether/Platform:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void PlatformCheck_SeesTheInteropCallsOfTheLayoutTests()
    {
        // Control: this test assembly calls Interop directly (the struct layout tests), so a
        // collector that missed method-body references would be caught here.
        var own = TypeReferenceCollector.Collect(typeof(ArchitectureTests).Assembly.Location);

        var violations = FindPlatformViolations(own, OsSpecificTypes());

        Assert.Contains(violations, static v => v.EndsWith("-> Tether.Platform.Interop", StringComparison.Ordinal));
        Assert.Contains(violations, static v => v.EndsWith("-> Tether.Platform.Pty.UnixPty", StringComparison.Ordinal));
    }

    [Fact]
    public void OsSpecificTypes_AreFoundFromTheFileSuffixes()
    {
        var types = OsSpecificTypes();

        Assert.Contains("Tether.Platform.Pty.UnixPty", types);
        Assert.Contains("Tether.Platform.Pty.WindowsPty", types);
        Assert.Contains("Tether.Platform.HostStats.MacHostStats", types);
        Assert.Contains("Tether.Platform.HostStats.MemInfoParser", types);
        Assert.DoesNotContain("Tether.Platform.Pty.IPty", types);
    }

    [Fact]
    public void EverySourceFile_DeclaresTheNamespaceOfItsFolder()
    {
        var wrong = new List<string>();
        foreach (string file in SourceFiles())
        {
            string relative = Path.GetRelativePath(RepositoryPaths.Source, file);
            string? folder = Path.GetDirectoryName(relative);
            string expected = string.IsNullOrEmpty(folder) ? "Tether" : "Tether." + folder.Replace(Path.DirectorySeparatorChar, '.');
            if (expected.StartsWith("Tether.Platform.Interop", StringComparison.Ordinal))
            {
                expected = "Tether.Platform"; // Interop/<Library>/ files add to the one Interop class.
            }

            var declared = NamespaceDeclaration().Match(File.ReadAllText(file));
            if (relative == "Program.cs" && !declared.Success)
            {
                continue; // top-level statements: the entry point has no namespace.
            }

            if (!declared.Success || declared.Groups[1].Value != expected)
            {
                wrong.Add($"{relative}: {(declared.Success ? declared.Groups[1].Value : "no namespace")} (folder says {expected})");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void OsSuffixedFiles_LiveOnlyUnderPlatform()
    {
        var stray = SourceFiles()
            .Where(static f => OsSuffixes.Any(s => f.EndsWith(s, StringComparison.Ordinal)))
            .Select(static f => Path.GetRelativePath(RepositoryPaths.Source, f))
            .Where(static f => !f.StartsWith("Platform" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToList();

        Assert.Empty(stray);
    }

    internal static List<string> FindLayerViolations(LayerMap layers, Dictionary<string, HashSet<string>> references)
    {
        var violations = new List<string>();
        foreach (var (type, used) in references)
        {
            if (!type.StartsWith("Tether.", StringComparison.Ordinal) || layers.Find(NamespaceOf(type)) is not { } from)
            {
                continue;
            }

            foreach (string target in used.Where(static u => u.StartsWith("Tether.", StringComparison.Ordinal)).Order())
            {
                if (layers.Find(NamespaceOf(target)) is { } to && !LayerMap.MayUse(from, to))
                {
                    violations.Add($"{type} -> {target}");
                }
            }
        }

        violations.Sort(StringComparer.Ordinal);
        return violations;
    }

    internal static List<string> FindPlatformViolations(Dictionary<string, HashSet<string>> references, HashSet<string> osSpecific)
    {
        var violations = new List<string>();
        foreach (var (type, used) in references)
        {
            if (type.StartsWith("Tether.Platform.", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (string target in used.Order())
            {
                if (target == "Tether.Platform.Interop" || osSpecific.Contains(target))
                {
                    violations.Add($"{type} -> {target}");
                }
            }
        }

        violations.Sort(StringComparer.Ordinal);
        return violations;
    }

    /// <summary>Full names of the types declared in src/Tether/Platform files named *.Linux.cs, *.MacOS.cs, *.Unix.cs, *.Windows.cs.</summary>
    internal static HashSet<string> OsSpecificTypes()
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in SourceFiles().Where(static f => OsSuffixes.Any(s => f.EndsWith(s, StringComparison.Ordinal))))
        {
            string text = File.ReadAllText(file);
            string ns = NamespaceDeclaration().Match(text).Groups[1].Value;
            foreach (Match m in TopLevelTypeDeclaration().Matches(text))
            {
                types.Add(ns + "." + m.Groups[1].Value);
            }
        }

        return types;
    }

    private static LayerMap LoadLayers() =>
        LayerMap.Parse(File.ReadAllText(Path.Join(RepositoryPaths.Root, "docs", "architecture.md")));

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(RepositoryPaths.Source, "*.cs", SearchOption.AllDirectories)
            .Where(static f =>
            {
                string relative = Path.GetRelativePath(RepositoryPaths.Source, f);
                return !relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && !relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            });

    private static string NamespaceOf(string fullName)
    {
        int dot = fullName.LastIndexOf('.');
        return dot < 0 ? string.Empty : fullName[..dot];
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^(?:internal|public)\s+(?:(?:static|sealed|abstract|readonly|unsafe|partial|ref|record)\s+)*(?:class|struct|interface|enum|record)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelTypeDeclaration();
}
