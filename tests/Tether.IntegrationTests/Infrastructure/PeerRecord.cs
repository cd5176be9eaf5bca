using System.Text.Json;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>One line the peer wrote: <c>{"kind":…,"at":…,…}</c> (see tests/peer/README.md).</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class PeerRecord
{
    internal PeerRecord(int index, string line, JsonElement json)
    {
        Index = index;
        Line = line;
        Json = json;
    }

    /// <summary>Position among all records of this peer, across restarts.</summary>
    public int Index { get; }

    /// <summary>The line as the peer wrote it.</summary>
    public string Line { get; }

    public JsonElement Json { get; }

    public string Kind => GetString("kind") ?? "";

    /// <summary>When the peer recorded it, ms since the Unix epoch.</summary>
    public double At => Json.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.Number ? at.GetDouble() : 0;

    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddMilliseconds(At);

    /// <summary>The event name of <c>event</c> and <c>sent</c> records.</summary>
    public string? Event => GetString("event");

    public string? ClientId => GetString("clientId");

    public string? Sid => GetString("sid");

    public string? Reason => GetString("reason");

    /// <summary>The first argument of an event (JSON null when there was none).</summary>
    public JsonElement Payload => Json.TryGetProperty("payload", out var p) ? p : default;

    /// <summary>UTF-8 length of the JSON of the event's arguments.</summary>
    public long Bytes => Json.TryGetProperty("bytes", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt64() : 0;

    public string? GetString(string property) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public override string ToString() => $"#{Index} {Line}";
}
