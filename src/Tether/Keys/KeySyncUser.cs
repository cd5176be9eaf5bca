namespace Tether.Keys;

/// <summary>GitHub user names as docs/protocol.md §6 accepts them: <c>^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$</c>. Thread-safe: stateless.</summary>
internal static class KeySyncUser
{
    public const int MaxLength = 39;

    /// <summary>True when <paramref name="user"/> may be put in a URL; checked before any request.</summary>
    public static bool IsValid(string? user)
    {
        if (string.IsNullOrEmpty(user) || user.Length > MaxLength || !char.IsAsciiLetterOrDigit(user[0]))
        {
            return false;
        }

        foreach (var c in user)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
