using System.Text.Json;

namespace Tether.Backup;

/// <summary>
/// A validated <c>backup_plan</c>/<c>backup_start</c> request (docs/protocol.md §3 message matrix,
/// §5). <see cref="Raw"/> is the payload as received, echoed as <c>job</c>. Immutable.
/// </summary>
internal sealed class BackupJob
{
    public const int MaxPlanIdLength = 256;
    public const int MaxSourceDirs = 64;
    public const int MaxGlobs = 1000;
    public const int MaxStringLength = 4096;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "planId", "host", "user", "port", "sourceDirs", "destRoot", "ignoreGlobs", "type", "t",
    };

    public required string PlanId { get; init; }

    /// <summary>Empty for local mode.</summary>
    public required string Host { get; init; }

    public required string User { get; init; }

    public required int Port { get; init; }

    public required IReadOnlyList<string> SourceDirs { get; init; }

    public required string DestRoot { get; init; }

    public required IReadOnlyList<string> IgnoreGlobs { get; init; }

    public required ExcludeRules Excludes { get; init; }

    public required JsonElement Raw { get; init; }

    /// <summary>Local mode: the host names of docs/protocol.md §5's first rule; everything else goes through ssh.</summary>
    public bool IsLocal => Host is "" or "localhost" or "127.0.0.1" or "::1";

    /// <summary>
    /// Reads a request. On failure <paramref name="planId"/> is still set when the payload had a
    /// usable one, so the caller can address its <c>backup_error</c>.
    /// </summary>
    public static bool TryParse(JsonElement payload, out BackupJob? job, out string? planId, out string error)
    {
        job = null;
        planId = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            error = "payload is not an object";
            return false;
        }

        if (payload.TryGetProperty("planId", out var pid) && pid.ValueKind == JsonValueKind.String)
        {
            string value = pid.GetString()!;
            if (value.Length is > 0 and <= MaxPlanIdLength && !value.Any(char.IsControl))
            {
                planId = value;
            }
        }

        if (planId is null)
        {
            error = "planId must be a non-empty string of at most 256 characters without control characters";
            return false;
        }

        foreach (var property in payload.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                error = $"unknown field '{Truncate(property.Name)}'";
                return false;
            }
        }

        if (!TryOptionalString(payload, "host", out string host, out error)
            || !TryOptionalString(payload, "user", out string user, out error)
            || !TryRequiredString(payload, "destRoot", out string destRoot, out error)
            || !TryStringArray(payload, "sourceDirs", required: true, MaxSourceDirs, out var sourceDirs, out error)
            || !TryStringArray(payload, "ignoreGlobs", required: false, MaxGlobs, out var globs, out error))
        {
            return false;
        }

        int port = 22;
        if (payload.TryGetProperty("port", out var portElement) && portElement.ValueKind != JsonValueKind.Null)
        {
            bool ok = portElement.ValueKind switch
            {
                JsonValueKind.Number => portElement.TryGetInt32(out port),
                JsonValueKind.String => int.TryParse(portElement.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port),
                _ => false,
            };
            if (!ok || port is < 1 or > 65535)
            {
                error = "port must be an integer 1-65535";
                return false;
            }
        }

        if (sourceDirs.Count == 0)
        {
            error = "sourceDirs is empty";
            return false;
        }

        if (!ExcludeRules.TryCreate(globs, out var excludes, out error))
        {
            return false;
        }

        job = new BackupJob
        {
            PlanId = planId,
            Host = host,
            User = user,
            Port = port,
            SourceDirs = sourceDirs,
            DestRoot = destRoot,
            IgnoreGlobs = globs,
            Excludes = excludes!,
            Raw = payload.Clone(),
        };
        error = string.Empty;
        return true;
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private static bool TryOptionalString(JsonElement obj, string name, out string value, out string error)
    {
        value = string.Empty;
        error = string.Empty;
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.String || e.GetString()!.Length > MaxStringLength)
        {
            error = $"{name} must be a string of at most {MaxStringLength} characters";
            return false;
        }

        value = e.GetString()!;
        return true;
    }

    private static bool TryRequiredString(JsonElement obj, string name, out string value, out string error)
    {
        if (!TryOptionalString(obj, name, out value, out error))
        {
            return false;
        }

        if (value.Length == 0)
        {
            error = $"{name} is required";
            return false;
        }

        return true;
    }

    private static bool TryStringArray(JsonElement obj, string name, bool required, int max, out List<string> values, out string error)
    {
        values = [];
        error = string.Empty;
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                error = $"{name} is required";
                return false;
            }

            return true;
        }

        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() > max)
        {
            error = $"{name} must be an array of at most {max} strings";
            return false;
        }

        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length is 0 or > MaxStringLength)
            {
                error = $"{name} must hold non-empty strings of at most {MaxStringLength} characters";
                return false;
            }

            values.Add(item.GetString()!);
        }

        return true;
    }
}
