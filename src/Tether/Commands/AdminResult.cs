using System.Text.Json;

namespace Tether.Commands;

/// <summary>
/// The <c>admin_result</c> payload (docs/protocol.md §4): <c>{token?, command, result: {stdout, stderr,
/// summary: {code, signal?, durationMs, truncated?}, error?}}</c>. Immutable.
/// </summary>
/// <param name="Token">The request's token as received (a cloned string or number), or null when it had none.</param>
/// <param name="Command">The command line as received.</param>
internal sealed record AdminResult(
    JsonElement? Token,
    string Command,
    string Stdout,
    string Stderr,
    int Code,
    string? Signal,
    long DurationMs,
    bool Truncated,
    string? Error)
{
    /// <summary>A result for a request that ran nothing (refused, invalid, busy): the reason on stderr and in error.</summary>
    public static AdminResult NotRun(JsonElement? token, string command, int code, string reason, bool withError = true) =>
        new(token, command, string.Empty, reason, code, null, 0, false, withError ? reason : null);
}
