using System.Text.Json;
using Tether.Config;

namespace Tether.Install;

/// <summary>
/// <c>tether service install --monitor-only</c> (docs/protocol.md §8): a config with the terminal
/// off (<c>admin.enableShell: false</c>), no admin command allowed (<c>admin.allowedCommands: []</c>,
/// so no cron edits either) and no backup root (<c>backup.allowedSourceRoots</c> and
/// <c>allowedDestRoots</c> empty) and key sync off (<c>keys.enabled: false</c>: the dashboard
/// cannot add SSH keys). Telemetry stays.
/// </summary>
/// <remarks>Thread-safe: stateless.</remarks>
internal static class MonitorOnlyConfig
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>True when the config already allows nothing but monitoring.</summary>
    public static bool Holds(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return !config.Admin.EnableShell
            && config.Admin.AllowedCommands.Count == 0
            && config.Backup.AllowedSourceRoots.Count == 0
            && config.Backup.AllowedDestRoots.Count == 0
            && !config.Keys.Enabled;
    }

    /// <summary>
    /// The source config (a JSON object the loader accepted) with every key kept except those the
    /// monitor-only settings replace: <c>admin.enableShell</c>, <c>allowedCommands</c>,
    /// <c>allowedCwds</c>, <c>allowedEnv</c>, <c>backup.allowedSourceRoots</c>, <c>allowedDestRoots</c>,
    /// <c>keys.enabled</c>.
    /// Comments are not kept.
    /// </summary>
    public static byte[] Derive(ReadOnlyMemory<byte> sourceJson)
    {
        if (sourceJson.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            sourceJson = sourceJson[3..];
        }

        using var document = JsonDocument.Parse(sourceJson, DocumentOptions);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            bool admin = false;
            bool backup = false;
            bool keys = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("admin"))
                {
                    admin = true;
                    WriteSection(writer, property, ["enableShell", "allowedCommands", "allowedCwds", "allowedEnv"], WriteAdmin);
                }
                else if (property.NameEquals("backup"))
                {
                    backup = true;
                    WriteSection(writer, property, ["allowedSourceRoots", "allowedDestRoots"], WriteBackup);
                }
                else if (property.NameEquals("keys"))
                {
                    keys = true;
                    WriteSection(writer, property, ["enabled"], WriteKeys);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            if (!admin)
            {
                writer.WriteStartObject("admin");
                WriteAdmin(writer);
                writer.WriteEndObject();
            }

            if (!backup)
            {
                writer.WriteStartObject("backup");
                WriteBackup(writer);
                writer.WriteEndObject();
            }

            if (!keys)
            {
                writer.WriteStartObject("keys");
                WriteKeys(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteSection(Utf8JsonWriter writer, JsonProperty section, string[] replaced, Action<Utf8JsonWriter> writeReplacements)
    {
        writer.WriteStartObject(section.Name);
        if (section.Value.ValueKind == JsonValueKind.Object)
        {
            foreach (var inner in section.Value.EnumerateObject())
            {
                if (!replaced.Contains(inner.Name, StringComparer.Ordinal))
                {
                    inner.WriteTo(writer);
                }
            }
        }

        writeReplacements(writer);
        writer.WriteEndObject();
    }

    private static void WriteAdmin(Utf8JsonWriter writer)
    {
        writer.WriteBoolean("enableShell", false);
        writer.WriteStartArray("allowedCommands");
        writer.WriteEndArray();
    }

    private static void WriteKeys(Utf8JsonWriter writer) => writer.WriteBoolean("enabled", false);

    private static void WriteBackup(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("allowedSourceRoots");
        writer.WriteEndArray();
        writer.WriteStartArray("allowedDestRoots");
        writer.WriteEndArray();
    }
}
