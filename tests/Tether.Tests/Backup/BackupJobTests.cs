using System.Text.Json;
using Tether.Backup;
using Tether.Protocol;

namespace Tether.Tests.Backup;

public sealed class BackupJobTests
{
    [Fact]
    public void Parse_FullRequest_ReadsEveryField()
    {
        using var doc = JsonDocument.Parse("""{"planId":"p1","host":"127.0.0.2","user":"bk","port":"2222","sourceDirs":["/a/b"],"destRoot":"/d","ignoreGlobs":["*.log"],"type":"backup_plan"}""");

        Assert.True(BackupJob.TryParse(doc.RootElement, out var job, out var planId, out var error), error);
        Assert.Equal("p1", planId);
        Assert.Equal(2222, job!.Port);
        Assert.False(job.IsLocal);
        Assert.Equal(["/a/b"], job.SourceDirs);
        Assert.Single(job.Excludes.Rules);
    }

    [Theory]
    [InlineData("""{"host":"","sourceDirs":["/a"],"destRoot":"/d"}""", null)]
    [InlineData("""{"planId":"p","sourceDirs":"/a","destRoot":"/d"}""", "p")]
    [InlineData("""{"planId":"p","sourceDirs":[],"destRoot":"/d"}""", "p")]
    [InlineData("""{"planId":"p","sourceDirs":["/a"]}""", "p")]
    [InlineData("""{"planId":"p","sourceDirs":["/a"],"destRoot":"/d","port":70000}""", "p")]
    [InlineData("""{"planId":"p","sourceDirs":["/a"],"destRoot":"/d","extra":1}""", "p")]
    [InlineData("""{"planId":"p","sourceDirs":["/a"],"destRoot":"/d","ignoreGlobs":[1]}""", "p")]
    [InlineData("""{"planId":"p","sourceDirs":["/a"],"destRoot":"/d","ignoreGlobs":["- x"]}""", "p")]
    [InlineData("""[1,2]""", null)]
    public void Parse_WrongShape_IsRefusedWithPlanIdWhenKnown(string json, string? expectedPlanId)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.False(BackupJob.TryParse(doc.RootElement, out _, out var planId, out var error));
        Assert.Equal(expectedPlanId, planId);
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void LocalHosts_AreLocalMode(string host)
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object> { ["planId"] = "p", ["host"] = host, ["sourceDirs"] = new[] { "/a" }, ["destRoot"] = "/d" }, JsonDictContext.Default.DictionaryStringObject));
        Assert.True(BackupJob.TryParse(doc.RootElement, out var job, out _, out var error), error);
        Assert.True(job!.IsLocal);
    }

    [Fact]
    public void PlanEvent_ManyLongPaths_IsCutToFitMaxPayload()
    {
        using var dir = new TempDirectory();
        string src = Path.Join(dir.Path, "src");
        Directory.CreateDirectory(src);
        for (int i = 0; i < 1500; i++)
        {
            File.WriteAllBytes(Path.Join(src, new string('n', 150) + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), []);
        }

        using var doc = JsonDocument.Parse($$"""{"planId":"p","sourceDirs":["{{src}}"],"destRoot":"/nowhere"}""");
        Assert.True(BackupJob.TryParse(doc.RootElement, out var job, out _, out _));
        var plan = new BackupPlan([BackupPlanner.PlanSource(src, Path.Join(dir.Path, "d", "src"), "src", ExcludeRules.None, CancellationToken.None)]);
        var encoder = new EventFrameEncoder("/agents");

        byte[] roomy = BackupEvents.Plan(encoder, job!, plan, 1_000_000);
        byte[] tight = BackupEvents.Plan(encoder, job!, plan, 50_000);

        Assert.Equal(1000, FilesIn(roomy));
        Assert.True(tight.Length <= 50_000);
        Assert.InRange(FilesIn(tight), 100, 999);
    }

    private static int FilesIn(byte[] frame)
    {
        string text = System.Text.Encoding.UTF8.GetString(frame);
        using var doc = JsonDocument.Parse(text[text.IndexOf('[', StringComparison.Ordinal)..]);
        Assert.Equal(1500, doc.RootElement[1].GetProperty("totalFiles").GetInt32());
        return doc.RootElement[1].GetProperty("files").GetArrayLength();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class JsonDictContext : System.Text.Json.Serialization.JsonSerializerContext;
