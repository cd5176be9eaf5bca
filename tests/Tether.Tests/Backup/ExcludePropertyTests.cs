using Tether.Backup;

namespace Tether.Tests.Backup;

/// <summary>
/// Property-style check with a fixed seed: random trees and random rsync-style patterns, the
/// planner's selection equals <c>rsync -a --dry-run</c>'s every time.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExcludePropertyTests
{
    private static readonly string[] Names = ["a", "b", "ab", "tmp", "cache", "dir", "x.log", "a1.txt", "b.txt", "c.bin", "d e", "é", "top", ".hid", "[x]"];
    private static readonly string[] Atoms = ["a", "b", "tmp", "cache", "dir", "*", "**", "?", "[ab]", "[!a]*", "*.log", "*.txt", "*.bin", "a*", "*b", "x.???", "é", "d e", "[[:alpha:]]*", "\\[x]", "***"];

    [Theory]
    [InlineData(20261129)]
    [InlineData(42)]
    [InlineData(7)]
    public void Planner_RandomTreesAndPatterns_EqualRsyncDryRun(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 12; round++)
        {
            using var dir = new TempDirectory();
            string src = Path.Join(dir.Path, "src");
            Directory.CreateDirectory(src);
            BuildRandomTree(random, src, depth: 0);
            var globs = Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomPattern(random)).ToArray();
            Assert.True(ExcludeRules.TryCreate(globs, out var rules, out var error), error);

            var plan = BackupPlanner.PlanSource(src, Path.Join(dir.Path, "d"), "src", rules!, CancellationToken.None);
            var expected = RsyncOracle.DryRun(src, Path.Join(dir.Path, "empty"), globs);
            var actual = RsyncOracle.Selection(plan);

            Assert.True(
                expected.SetEquals(actual),
                $"seed {seed} round {round} globs [{string.Join(" | ", globs)}]: only rsync [{string.Join(" | ", expected.Except(actual))}] only planner [{string.Join(" | ", actual.Except(expected))}]");
        }
    }

    private static void BuildRandomTree(Random random, string path, int depth)
    {
        int count = random.Next(depth == 0 ? 4 : 0, 7);
        foreach (var name in Enumerable.Range(0, count).Select(_ => Names[random.Next(Names.Length)]).Distinct())
        {
            string child = Path.Join(path, name);
            int kind = random.Next(10);
            if (kind < 4 && depth < 4)
            {
                Directory.CreateDirectory(child);
                BuildRandomTree(random, child, depth + 1);
            }
            else if (kind == 4)
            {
                File.CreateSymbolicLink(child, random.Next(2) == 0 ? "a" : "/tmp");
            }
            else
            {
                File.WriteAllBytes(child, new byte[random.Next(0, 64)]);
            }
        }
    }

    private static string RandomPattern(Random random)
    {
        int parts = random.Next(1, 4);
        var atoms = Enumerable.Range(0, parts).Select(_ => Atoms[random.Next(Atoms.Length)]);
        string pattern = string.Join("/", atoms);
        if (random.Next(4) == 0)
        {
            pattern = "/" + pattern;
        }

        if (random.Next(4) == 0)
        {
            pattern += "/";
        }

        return pattern;
    }
}
