using System.Text.Json;
using Tether.Platform.Pty;

namespace Tether.Shell;

/// <summary><c>shell_start {session, cols?, rows?}</c>; the size defaults to 80×24 (docs/protocol.md §3).</summary>
internal sealed record ShellStartRequest(string Session, int Columns, int Rows)
{
    public const int DefaultColumns = 80;
    public const int DefaultRows = 24;

    /// <param name="unknownMember">A member the contract does not name (logged, not fatal: dashboards add their own fields).</param>
    public static bool TryParse(JsonElement payload, out ShellStartRequest request, out string error, out string? unknownMember)
    {
        request = new ShellStartRequest(string.Empty, DefaultColumns, DefaultRows);
        unknownMember = null;
        if (!ShellPayload.TryGetSession(payload, out var session, out error))
        {
            return false;
        }

        if (!ShellPayload.TryGetOptionalDimension(payload, "cols", PtyStartOptions.MaxDimension, out var cols, out error)
            || !ShellPayload.TryGetOptionalDimension(payload, "rows", PtyStartOptions.MaxDimension, out var rows, out error))
        {
            return false;
        }

        unknownMember = ShellPayload.FirstUnknownMember(payload, "session", "cols", "rows");
        request = new ShellStartRequest(session, cols ?? DefaultColumns, rows ?? DefaultRows);
        return true;
    }
}
