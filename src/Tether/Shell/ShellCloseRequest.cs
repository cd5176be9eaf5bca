using System.Text.Json;

namespace Tether.Shell;

/// <summary><c>shell_close {session}</c>.</summary>
internal sealed record ShellCloseRequest(string Session)
{
    public static bool TryParse(JsonElement payload, out ShellCloseRequest request, out string error)
    {
        request = new ShellCloseRequest(string.Empty);
        if (!ShellPayload.TryGetSession(payload, out var session, out error))
        {
            return false;
        }

        request = new ShellCloseRequest(session);
        return true;
    }
}
