using Tether.Protocol;

namespace Tether.Backup;

/// <summary>Encodes the outbound backup events (docs/protocol.md §5) as wire frames. Thread-safe: stateless.</summary>
internal static class BackupEvents
{
    public const int MaxListedFiles = 1000;

    /// <summary>
    /// <c>backup_plan</c> with <c>files</c> cut (first 1000, then fewer) until the whole frame fits
    /// <paramref name="maxPayloadBytes"/>.
    /// </summary>
    public static byte[] Plan(EventFrameEncoder encoder, BackupJob job, BackupPlan plan, int maxPayloadBytes)
    {
        var files = plan.ModifiedPaths().Take(MaxListedFiles).ToList();
        int count = files.Count;
        while (true)
        {
            int n = count;
            byte[] frame = encoder.Encode("backup_plan", w =>
            {
                w.WriteString("planId", job.PlanId);
                w.WritePropertyName("job");
                job.Raw.WriteTo(w);
                w.WriteNumber("totalFiles", plan.TotalFiles);
                w.WriteNumber("totalBytes", plan.TotalBytes);
                w.WriteNumber("modifies", plan.Modifies);
                w.WriteStartArray("files");
                for (int i = 0; i < n; i++)
                {
                    w.WriteStringValue(files[i]);
                }

                w.WriteEndArray();
            });
            if (frame.Length <= maxPayloadBytes || count == 0)
            {
                return frame;
            }

            // Shrink in proportion to the excess, at least by one.
            long shrunk = (long)count * maxPayloadBytes / frame.Length;
            count = (int)Math.Min(count - 1, Math.Max(0, shrunk - 1));
        }
    }

    public static byte[] Progress(EventFrameEncoder encoder, string planId, BackupProgress p) =>
        encoder.Encode("backup_progress", w =>
        {
            w.WriteString("planId", planId);
            w.WriteString("file", p.CurrentFile);
            w.WriteString("op", p.Op);
            w.WriteNumber("percent", p.Percent);
            w.WriteNumber("transferredBytes", p.TransferredBytes);
            w.WriteNumber("filesDone", p.FilesDone);
            w.WriteNumber("totalFiles", p.TotalFiles);
        });

    public static byte[] Complete(EventFrameEncoder encoder, string planId, long ms, BackupProgress p) =>
        encoder.Encode("backup_complete", w =>
        {
            w.WriteString("planId", planId);
            w.WriteBoolean("ok", true);
            w.WriteNumber("ms", ms);
            w.WriteNumber("transferredBytes", p.TransferredBytes);
            w.WriteNumber("files", p.FilesTransferred);
        });

    public static byte[] Error(EventFrameEncoder encoder, string? planId, string error) =>
        encoder.Encode("backup_error", w =>
        {
            if (planId is null)
            {
                w.WriteNull("planId");
            }
            else
            {
                w.WriteString("planId", planId);
            }

            w.WriteString("error", error.Length <= 4096 ? error : error[..4096]);
        });
}
