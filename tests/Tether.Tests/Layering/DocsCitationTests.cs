using System.Text.RegularExpressions;

namespace Tether.Tests.Layering;

/// <summary>
/// Every document the code cites is in the clone: <c>docs/X.md §N</c> and <c>docs/X.md "Heading"</c>
/// point at a file and a heading that exist, and nothing cites the team's notes outside the repository.
/// </summary>
public sealed partial class DocsCitationTests
{
    [Fact]
    public void EveryDocsCitation_InSourcesAndTests_FindsItsFileAndSection()
    {
        var broken = new List<string>();
        foreach (var (file, text) in CitingFiles())
        {
            foreach (Match m in Citation().Matches(text))
            {
                string docPath = Path.Join(RepositoryPaths.Root, "docs", m.Groups["doc"].Value);
                if (!File.Exists(docPath))
                {
                    broken.Add($"{file}: {m.Value} (no such file)");
                    continue;
                }

                var headings = File.ReadAllLines(docPath).Where(static l => l.StartsWith('#')).ToList();
                bool found = m.Groups["section"].Success
                    ? headings.Any(h => h.StartsWith("## " + m.Groups["section"].Value + ".", StringComparison.Ordinal))
                    : !m.Groups["heading"].Success || headings.Any(h => h.Contains(m.Groups["heading"].Value, StringComparison.Ordinal));
                if (!found)
                {
                    broken.Add($"{file}: {m.Value} (no such heading)");
                }
            }
        }

        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void NothingCites_ADocumentOutsideTheRepository()
    {
        var stray = CitingFiles()
            .Where(static f => OutsideCitation().IsMatch(f.Text))
            .Select(static f => f.File)
            .ToList();

        Assert.Empty(stray);
    }

    private static IEnumerable<(string File, string Text)> CitingFiles()
    {
        foreach (string folder in new[] { "src", "tests", "bench", "scripts", "packaging" })
        {
            foreach (string path in Directory.EnumerateFiles(Path.Join(RepositoryPaths.Root, folder), "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(RepositoryPaths.Root, path);
                if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal)
                    || relative.Contains("node_modules", StringComparison.Ordinal) || relative.EndsWith("DocsCitationTests.cs", StringComparison.Ordinal)
                    || Path.GetExtension(path) is not (".cs" or ".js" or ".mjs" or ".sh" or ".md" or ".service" or ".plist" or "" or ".targets" or ".csproj"))
                {
                    continue;
                }

                yield return (relative, File.ReadAllText(path));
            }
        }
    }

    [GeneratedRegex("""docs/(?<doc>[a-z-]+\.md)(?: §(?<section>[0-9]+)| "(?<heading>[^"\n]+)")?""")]
    private static partial Regex Citation();

    [GeneratedRegex(@"CONTRACT §|CONTRACT\.md|FIELD-NOTES|STYLE\.md|\.\./shared/")]
    private static partial Regex OutsideCitation();
}
