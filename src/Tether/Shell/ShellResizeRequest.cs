using System.Text.Json;
using Tether.Platform.Pty;

namespace Tether.Shell;

/// <summary><c>shell_resize {session, cols, rows}</c>: both integers 1–1000 (docs/protocol.md §3).</summary>
internal sealed record ShellResizeRequest(string Session, int Columns, int Rows)
{
    public static bool TryParse(JsonElement payload, out ShellResizeRequest request, out string error)
    {
        request = new ShellResizeRequest(string.Empty, 0, 0);
        if (!ShellPayload.TryGetSession(payload, out var session, out error))
        {
            return false;
        }

        if (!ShellPayload.TryGetOptionalDimension(payload, "cols", PtyStartOptions.MaxDimension, out var cols, out error)
            || !ShellPayload.TryGetOptionalDimension(payload, "rows", PtyStartOptions.MaxDimension, out var rows, out error))
        {
            return false;
        }

        if (cols is null || rows is null)
        {
            error = "cols and rows are both required";
            return false;
        }

        request = new ShellResizeRequest(session, cols.Value, rows.Value);
        return true;
    }
}
