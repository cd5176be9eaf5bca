using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tether.Config;

namespace Tether.Cli;

/// <summary>
/// A configuration error ends the process with exit code 2 and one message naming the key, on
/// stderr and in the log (CONTRACT §7). Logging is not set up yet (its settings are what failed),
/// so the log line is appended directly, best effort, where the log would have been.
/// </summary>
internal static class ConfigFailure
{
    public static void Report(ConfigLoadResult load, string? configPathFlag)
    {
        foreach (string warning in load.Warnings)
        {
            Console.Error.WriteLine("tether: warning: " + warning);
        }

        Console.Error.WriteLine("tether: " + load.Error);
        try
        {
            string? logFile = Environment.GetEnvironmentVariable("LOG_FILE");
            if (string.IsNullOrWhiteSpace(logFile))
            {
                string configPath = configPathFlag ?? Environment.GetEnvironmentVariable("CLIENT_CONFIG_PATH") ?? ConfigLoader.DefaultFileName;
                logFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".", "agent.log");
            }

            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("time", DateTimeOffset.Now);
                writer.WriteString("level", "error");
                writer.WriteString("message", load.Error);
                writer.WriteEndObject();
            }

            File.AppendAllText(logFile, Encoding.UTF8.GetString(stream.ToArray()) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The log is unreachable; stderr already has the message.
        }
    }
}
