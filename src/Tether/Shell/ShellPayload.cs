using System.Text.Json;

namespace Tether.Shell;

/// <summary>Shape checks shared by the <c>shell_*</c> payloads (docs/protocol.md §3: wrong shapes get a warning, never a crash).</summary>
internal static class ShellPayload
{
    /// <summary>Session ids are dashboard-chosen handles; anything longer is noise or an attack.</summary>
    public const int MaxSessionLength = 128;

    /// <summary>Members every payload may carry besides its own (the envelope names the event in them).</summary>
    private static readonly string[] EnvelopeMembers = ["type", "t"];

    /// <summary>Checks that <paramref name="payload"/> is an object with a valid <c>session</c>.</summary>
    public static bool TryGetSession(JsonElement payload, out string session, out string error)
    {
        session = string.Empty;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            error = "payload is not a JSON object";
            return false;
        }

        if (!payload.TryGetProperty("session", out var value) || value.ValueKind != JsonValueKind.String)
        {
            error = "session missing or not a string";
            return false;
        }

        // Length first, on the raw value, so a huge string is never materialised twice.
        var text = value.GetString() ?? string.Empty;
        if (text.Length is 0 or > MaxSessionLength)
        {
            error = $"session must be 1–{MaxSessionLength} characters";
            return false;
        }

        foreach (var c in text)
        {
            // Ids end up in logs and the audit file; control characters there only do harm.
            if (char.IsControl(c))
            {
                error = "session contains a control character";
                return false;
            }
        }

        session = text;
        error = string.Empty;
        return true;
    }

    /// <summary>The first member not in <paramref name="known"/> (nor <c>type</c>/<c>t</c>), or null.</summary>
    public static string? FirstUnknownMember(JsonElement payload, params ReadOnlySpan<string> known)
    {
        foreach (var member in payload.EnumerateObject())
        {
            if (!known.Contains(member.Name) && Array.IndexOf(EnvelopeMembers, member.Name) < 0)
            {
                return member.Name.Length > 64 ? member.Name[..64] + "…" : member.Name;
            }
        }

        return null;
    }

    /// <summary>
    /// An optional integer member: absent is fine (<paramref name="value"/> null); present it
    /// must be a whole JSON number in 1–<paramref name="max"/>.
    /// </summary>
    public static bool TryGetOptionalDimension(JsonElement payload, string name, int max, out int? value, out string error)
    {
        value = null;
        error = string.Empty;
        if (!payload.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (member.ValueKind != JsonValueKind.Number || !member.TryGetInt32(out var number) || number < 1 || number > max)
        {
            error = $"{name} must be an integer 1–{max}";
            return false;
        }

        value = number;
        return true;
    }
}
