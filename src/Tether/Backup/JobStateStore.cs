using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tether.Protocol;

namespace Tether.Backup;

/// <summary>
/// The job state files under the state directory (docs/protocol.md §5, §7): one JSON file per planId,
/// written atomically (temporary file, fsync, rename) so a crash leaves the old or the new
/// state, never a torn one. Thread-safe: writes for one plan come from its one job.
/// </summary>
internal sealed class JobStateStore(string stateDir)
{
    /// <summary>Job files kept: past it the least recently written go (a dashboard sending ever new planIds must not fill the disk).</summary>
    public const int MaxKept = 100;

    public string PathFor(string planId) =>
        Path.Join(stateDir, "backup-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(planId)))[..32] + ".json");

    public void Write(string planId, string status, BackupProgress progress, string? error, DateTimeOffset now)
    {
        Directory.CreateDirectory(stateDir);
        string path = PathFor(planId);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream, EventFrameEncoder.WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("planId", planId);
                writer.WriteString("status", status);
                writer.WriteString("currentFile", progress.CurrentFile);
                writer.WriteString("op", progress.Op);
                writer.WriteNumber("transferredBytes", progress.TransferredBytes);
                writer.WriteNumber("filesDone", progress.FilesDone);
                writer.WriteNumber("totalFiles", progress.TotalFiles);
                writer.WriteNumber("totalBytes", progress.TotalBytes);
                writer.WriteString("updatedAt", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
                if (error is not null)
                {
                    writer.WriteString("error", error);
                }

                writer.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the oldest job files beyond <see cref="MaxKept"/>, never the one of <paramref name="keepPlanId"/>; returns how many went.</summary>
    public int Prune(string keepPlanId)
    {
        string keep = Path.GetFullPath(PathFor(keepPlanId));
        var others = new DirectoryInfo(stateDir).EnumerateFiles("backup-*.json")
            .Where(f => !string.Equals(f.FullName, keep, StringComparison.Ordinal))
            .OrderByDescending(static f => f.LastWriteTimeUtc)
            .ToList();
        int removed = 0;
        foreach (var old in others.Skip(MaxKept - 1))
        {
            old.Delete();
            removed++;
        }

        return removed;
    }

    /// <summary>The status recorded for <paramref name="planId"/>, or null when there is none or it cannot be read.</summary>
    public string? ReadStatus(string planId)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(PathFor(planId)));
            return doc.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
