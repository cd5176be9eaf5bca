using System.Text;

namespace Tether.Keys;

/// <summary>
/// Decides what a key sync appends to authorized_keys (docs/protocol.md §6): the fetched keys whose type
/// and blob are not already present (nor repeated in the fetch), one line each; existing bytes are
/// never changed, only followed. Pure; thread-safe.
/// </summary>
internal static class AuthorizedKeysMerge
{
    /// <summary>The outcome of <see cref="Plan"/>.</summary>
    /// <param name="Appendix">Bytes to append (a newline first when the file lacks a final one); empty when nothing is new.</param>
    /// <param name="Added">New keys in <paramref name="Appendix"/>.</param>
    /// <param name="Invalid">Fetched non-blank lines that were not well-formed keys (dropped).</param>
    /// <param name="Duplicates">Well-formed fetched keys already present or repeated.</param>
    internal sealed record Result(byte[] Appendix, int Added, int Invalid, int Duplicates);

    public static Result Plan(ReadOnlySpan<byte> existing, string fetched)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(existing).Split('\n'))
        {
            if (OpenSshPublicKey.TryParseAuthorizedKeysLine(line.TrimEnd('\r'), out var key))
            {
                present.Add(key.Identity);
            }
        }

        var appendix = new StringBuilder();
        int added = 0, invalid = 0, duplicates = 0;
        foreach (var raw in fetched.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim(' ', '\t').Length == 0)
            {
                continue;
            }

            if (!OpenSshPublicKey.TryParse(line, out var key))
            {
                invalid++;
                continue;
            }

            if (!present.Add(key.Identity))
            {
                duplicates++;
                continue;
            }

            appendix.Append(key.ToLine()).Append('\n');
            added++;
        }

        if (added > 0 && existing.Length > 0 && existing[^1] != (byte)'\n')
        {
            appendix.Insert(0, '\n');
        }

        return new Result(Encoding.UTF8.GetBytes(appendix.ToString()), added, invalid, duplicates);
    }
}
