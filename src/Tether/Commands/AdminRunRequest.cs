using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Tether.Policy;

namespace Tether.Commands;

/// <summary>
/// An <c>admin_run</c> request, <c>{token?, cmd: {command, timeoutSec?, cwd?, env?}}</c>
/// (docs/protocol.md §4), copied out of the inbound JSON so it outlives the receive buffer. Immutable.
/// </summary>
internal sealed class AdminRunRequest
{
    /// <summary>Longest token echoed back; a longer one is an invalid request.</summary>
    public const int MaxTokenLength = 1024;

    /// <summary>Longest <c>cmd.command</c>, checked before anything else looks at it (the tokenizer's limit).</summary>
    public const int MaxCommandLength = CommandLineTokenizer.MaxLength;

    /// <summary>Largest <c>timeoutSec</c> (same range as <c>admin.defaultTimeoutSec</c>).</summary>
    public const int MaxTimeoutSec = 86400;

    private AdminRunRequest(JsonElement? token, string command, int? timeoutSec, string? cwd, IReadOnlyList<KeyValuePair<string, string>>? env)
    {
        Token = token;
        Command = command;
        TimeoutSec = timeoutSec;
        Cwd = cwd;
        Env = env;
    }

    /// <summary>The token as received (string or number), detached from the inbound document.</summary>
    public JsonElement? Token { get; }

    public string Command { get; }

    public int? TimeoutSec { get; }

    public string? Cwd { get; }

    /// <summary>The requested entries in order (names not validated yet; see <see cref="EnvironmentPolicy"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Env { get; }

    /// <summary>The token as text for logs and the audit line.</summary>
    public static string? TokenText(JsonElement? token) => token switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } t => t.GetString(),
        { } t => t.GetRawText(),
    };

    /// <summary>
    /// Parses <paramref name="payload"/>. On failure, <paramref name="token"/> and
    /// <paramref name="command"/> hold what could still be echoed in an error result (either may be null).
    /// </summary>
    public static bool TryParse(
        JsonElement payload,
        [NotNullWhen(true)] out AdminRunRequest? request,
        out JsonElement? token,
        out string? command,
        [NotNullWhen(false)] out string? error)
    {
        request = null;
        token = null;
        command = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            error = $"admin_run payload must be an object, not {Kind(payload)}";
            return false;
        }

        if (payload.TryGetProperty("token", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                error = $"token must be a string or a number, not {Kind(t)}";
                return false;
            }

            if (t.ValueKind == JsonValueKind.String ? t.GetString()!.Length > MaxTokenLength : t.GetRawText().Length > MaxTokenLength)
            {
                error = $"token is longer than {MaxTokenLength} characters";
                return false;
            }

            token = t.Clone();
            if (t.ValueKind == JsonValueKind.String && InvalidTokenCharacter(t.GetString()!) is { } bad)
            {
                // Tokens reach logs and the audit file: a newline would forge a log line (docs/protocol.md §4).
                error = bad;
                return false;
            }
        }

        if (!payload.TryGetProperty("cmd", out var cmd) || cmd.ValueKind != JsonValueKind.Object)
        {
            error = cmd.ValueKind == JsonValueKind.Undefined ? "cmd is missing" : $"cmd must be an object, not {Kind(cmd)}";
            return false;
        }

        if (!cmd.TryGetProperty("command", out var c) || c.ValueKind != JsonValueKind.String)
        {
            error = c.ValueKind == JsonValueKind.Undefined ? "cmd.command is missing" : $"cmd.command must be a string, not {Kind(c)}";
            return false;
        }

        // The length first, before the command is tokenized, matched or audited (docs/protocol.md §4).
        command = c.GetString()!;
        if (command.Length > MaxCommandLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"cmd.command is too long ({command.Length} characters, at most {MaxCommandLength})");
            return false;
        }

        int? timeoutSec = null;
        if (cmd.TryGetProperty("timeoutSec", out var ts) && ts.ValueKind != JsonValueKind.Null)
        {
            if (ts.ValueKind != JsonValueKind.Number || !ts.TryGetInt32(out var seconds) || seconds < 1 || seconds > MaxTimeoutSec)
            {
                error = $"cmd.timeoutSec must be an integer from 1 to {MaxTimeoutSec.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }

            timeoutSec = seconds;
        }

        string? cwd = null;
        if (cmd.TryGetProperty("cwd", out var wd) && wd.ValueKind != JsonValueKind.Null)
        {
            if (wd.ValueKind != JsonValueKind.String)
            {
                error = $"cmd.cwd must be a string, not {Kind(wd)}";
                return false;
            }

            cwd = wd.GetString()!;
        }

        List<KeyValuePair<string, string>>? env = null;
        if (cmd.TryGetProperty("env", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                error = $"cmd.env must be an object, not {Kind(e)}";
                return false;
            }

            env = [];
            foreach (var entry in e.EnumerateObject())
            {
                if (env.Count == EnvironmentPolicy.MaxEntries)
                {
                    error = $"env: too many entries (at most {EnvironmentPolicy.MaxEntries.ToString(CultureInfo.InvariantCulture)})";
                    return false;
                }

                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    // The name only: values are never echoed or logged.
                    error = $"env: the value of '{TextChecks.ForDisplay(entry.Name, 64)}' must be a string";
                    return false;
                }

                env.Add(new KeyValuePair<string, string>(entry.Name, entry.Value.GetString()!));
            }
        }

        request = new AdminRunRequest(token, command, timeoutSec, cwd, env);
        error = null;
        return true;
    }

    /// <summary>Why a string token is refused (a control, bidi or lone surrogate character), or null.</summary>
    private static string? InvalidTokenCharacter(string token)
    {
        var surrogate = TextChecks.IndexOfLoneSurrogate(token);
        if (surrogate >= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"token is not valid UTF-16 (lone surrogate at offset {surrogate})");
        }

        for (var i = 0; i < token.Length; i++)
        {
            if (char.IsControl(token[i]) || TextChecks.IsBidiControl(token[i]))
            {
                return string.Create(CultureInfo.InvariantCulture, $"token must not contain control or bidi characters (U+{(int)token[i]:X4} at offset {i})");
            }
        }

        return null;
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Undefined => "missing",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "null",
    };
}
