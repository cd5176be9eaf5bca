using System.Text;
using System.Text.Json;

namespace Tether.Shell;

/// <summary>
/// <c>shell_input {session, data, encoding?}</c>: <c>data</c> is text (sent as UTF-8), or
/// base64 of raw bytes when <c>encoding</c> is <c>"base64"</c> (docs/protocol.md §3).
/// </summary>
internal sealed record ShellInputRequest(string Session, byte[] Data)
{
    /// <summary>Keystrokes and pastes; a bigger event is a mistake or an attack.</summary>
    public const int MaxDataChars = 1024 * 1024;

    public static bool TryParse(JsonElement payload, out ShellInputRequest request, out string error)
    {
        request = new ShellInputRequest(string.Empty, []);
        if (!ShellPayload.TryGetSession(payload, out var session, out error))
        {
            return false;
        }

        if (!payload.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
        {
            error = "data missing or not a string";
            return false;
        }

        var base64 = false;
        if (payload.TryGetProperty("encoding", out var encoding) && encoding.ValueKind != JsonValueKind.Null)
        {
            var name = encoding.ValueKind == JsonValueKind.String ? encoding.GetString() : null;
            if (string.Equals(name, "base64", StringComparison.OrdinalIgnoreCase))
            {
                base64 = true;
            }
            else if (!string.Equals(name, "utf8", StringComparison.OrdinalIgnoreCase) && !string.Equals(name, "utf-8", StringComparison.OrdinalIgnoreCase))
            {
                error = "encoding must be \"base64\" or \"utf8\"";
                return false;
            }
        }

        var text = data.GetString() ?? string.Empty;
        if (text.Length > MaxDataChars)
        {
            error = $"data longer than {MaxDataChars} characters";
            return false;
        }

        byte[] bytes;
        if (base64)
        {
            bytes = new byte[(text.Length / 4 * 3) + 3];
            if (!Convert.TryFromBase64String(text, bytes, out var written))
            {
                error = "data is not valid base64";
                return false;
            }

            Array.Resize(ref bytes, written);
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(text);
        }

        request = new ShellInputRequest(session, bytes);
        return true;
    }
}
