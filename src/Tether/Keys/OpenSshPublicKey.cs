using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tether.Keys;

/// <summary>
/// A well-formed OpenSSH public key (docs/protocol.md §6): a known type and a base64 blob that decodes to
/// exactly the wire fields of that type, the first naming the same type. Keys are equal when type
/// and blob are (options and comments do not count). Immutable.
/// </summary>
internal sealed record OpenSshPublicKey(string Type, string Blob, string? Comment)
{
    /// <summary>Longest line considered; real keys (RSA 16384) stay far below.</summary>
    public const int MaxLineLength = 16 * 1024;

    // Type → number of length-prefixed strings in the blob (type name included).
    private static readonly Dictionary<string, int> KnownTypes = new(StringComparer.Ordinal)
    {
        ["ssh-ed25519"] = 2,
        ["ssh-rsa"] = 3,
        ["ecdsa-sha2-nistp256"] = 3,
        ["ecdsa-sha2-nistp384"] = 3,
        ["ecdsa-sha2-nistp521"] = 3,
        ["sk-ssh-ed25519@openssh.com"] = 3,
        ["sk-ecdsa-sha2-nistp256@openssh.com"] = 4,
    };

    /// <summary>The identity used for dedupe: type and blob.</summary>
    public string Identity => Type + " " + Blob;

    /// <summary>The line appended to authorized_keys (no options), without the newline.</summary>
    public string ToLine() => Comment is null ? Identity : Identity + " " + Comment;

    public static bool IsKnownType(string type) => KnownTypes.ContainsKey(type);

    /// <summary>
    /// Parses a fetched line, <c>type blob [comment]</c>, strictly: no options, no control
    /// characters, a comment of printable text. Surrounding blanks are ignored.
    /// </summary>
    public static bool TryParse(string line, [NotNullWhen(true)] out OpenSshPublicKey? key)
    {
        ArgumentNullException.ThrowIfNull(line);
        key = null;
        if (line.Length > MaxLineLength)
        {
            return false;
        }

        foreach (var c in line)
        {
            if (char.IsControl(c) && c != '\t')
            {
                return false;
            }
        }

        var parts = line.Trim(' ', '\t').Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !IsValidBlob(parts[0], parts[1]))
        {
            return false;
        }

        var comment = parts.Length == 3 ? parts[2].Trim(' ', '\t') : null;
        key = new OpenSshPublicKey(parts[0], parts[1], string.IsNullOrEmpty(comment) ? null : comment);
        return true;
    }

    /// <summary>
    /// Finds the key in an existing authorized_keys line, which may start with options
    /// (<c>from="…",command="…" ssh-ed25519 AAAA… comment</c>); false for comments, blank and
    /// unparsable lines (they are kept as they are, only not compared).
    /// </summary>
    public static bool TryParseAuthorizedKeysLine(string line, [NotNullWhen(true)] out OpenSshPublicKey? key)
    {
        ArgumentNullException.ThrowIfNull(line);
        key = null;
        var words = SplitOutsideQuotes(line);
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (IsKnownType(words[i]) && IsValidBlob(words[i], words[i + 1]))
            {
                key = new OpenSshPublicKey(words[i], words[i + 1], null);
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="blob"/> is canonical base64 of the wire fields of <paramref name="type"/>.</summary>
    public static bool IsValidBlob(string type, string blob)
    {
        if (!KnownTypes.TryGetValue(type, out var fields) || blob.Length == 0 || blob.Length % 4 != 0 || blob.Length > MaxLineLength)
        {
            return false;
        }

        var bytes = new byte[blob.Length / 4 * 3];
        if (!Convert.TryFromBase64String(blob, bytes, out var length) || Convert.ToBase64String(bytes, 0, length) != blob)
        {
            return false; // whitespace inside, bad padding or non-zero trailing bits
        }

        ReadOnlySpan<byte> data = bytes.AsSpan(0, length);
        var strings = new List<byte[]>(fields);
        while (!data.IsEmpty)
        {
            if (data.Length < 4)
            {
                return false;
            }

            var n = BinaryPrimitives.ReadUInt32BigEndian(data);
            if (n > (uint)(data.Length - 4))
            {
                return false;
            }

            strings.Add(data.Slice(4, (int)n).ToArray());
            data = data[(4 + (int)n)..];
        }

        if (strings.Count != fields || !strings[0].AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(type)))
        {
            return false;
        }

        // ecdsa: the curve field names the type's curve; ed25519 keys are 32 bytes.
        return type switch
        {
            "ssh-ed25519" or "sk-ssh-ed25519@openssh.com" => strings[1].Length == 32,
            _ when type.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) => Encoding.ASCII.GetString(strings[1]) == type["ecdsa-sha2-".Length..],
            "sk-ecdsa-sha2-nistp256@openssh.com" => Encoding.ASCII.GetString(strings[1]) == "nistp256",
            _ => strings.Skip(1).All(static s => s.Length > 0),
        };
    }

    // Blank-separated words, a double-quoted part (options such as command="a b") staying in one word.
    private static List<string> SplitOutsideQuotes(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < line.Length)
                {
                    word.Append(c).Append(line[++i]);
                    continue;
                }

                quoted = c != '"';
                word.Append(c);
            }
            else if (c is ' ' or '\t')
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                quoted = c == '"';
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
