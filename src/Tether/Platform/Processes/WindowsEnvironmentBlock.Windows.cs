namespace Tether.Platform.Processes;

/// <summary>
/// Builds the UTF-16 environment block for CreateProcessW (CREATE_UNICODE_ENVIRONMENT):
/// <c>NAME=value\0</c> per variable, sorted by name case-insensitively in ordinal order (as
/// CreateProcess documents for blocks it is given), then one more <c>\0</c>. Pure.
/// </summary>
/// <remarks>
/// Windows names are case-insensitive: of two entries whose names differ only in case, the
/// later one wins, as two successive SetEnvironmentVariable calls would leave it. An empty
/// block is two NULs. Nothing is inherited from the agent.
/// </remarks>
internal static class WindowsEnvironmentBlock
{
    /// <summary>The block for <paramref name="variables"/>.</summary>
    /// <exception cref="ArgumentException">
    /// A name is empty or contains <c>=</c> or NUL, or a value contains NUL.
    /// </exception>
    internal static char[] Build(IEnumerable<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var byName = new Dictionary<string, KeyValuePair<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in variables)
        {
            var name = variable.Key;
            var value = variable.Value ?? string.Empty;
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("Environment variable names must be non-empty and contain no '=' or NUL.", nameof(variables));
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The value of environment variable '{name}' contains NUL.", nameof(variables));
            }

            byName[name] = new KeyValuePair<string, string>(name, value);
        }

        var sorted = byName.Values.ToList();
        sorted.Sort(static (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Key, b.Key));
        var length = 1;
        foreach (var variable in sorted)
        {
            length += variable.Key.Length + 1 + variable.Value.Length + 1;
        }

        if (sorted.Count == 0)
        {
            length = 2;
        }

        var block = new char[length];
        var position = 0;
        foreach (var variable in sorted)
        {
            variable.Key.CopyTo(block.AsSpan(position));
            position += variable.Key.Length;
            block[position++] = '=';
            variable.Value.CopyTo(block.AsSpan(position));
            position += variable.Value.Length;
            block[position++] = '\0';
        }

        // The rest of the array is already the terminating NUL(s).
        return block;
    }

    /// <summary>Splits <c>NAME=value</c> entries (as in <see cref="PtyStartOptions.Environment"/>) at the first <c>=</c>.</summary>
    /// <exception cref="ArgumentException">An entry has no <c>=</c> after a non-empty name.</exception>
    internal static IEnumerable<KeyValuePair<string, string>> Split(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var equals = entry?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (equals <= 0)
            {
                throw new ArgumentException("Environment entries must look like NAME=value.", nameof(entries));
            }

            yield return new KeyValuePair<string, string>(entry![..equals], entry[(equals + 1)..]);
        }
    }

    /// <summary>The value of <paramref name="name"/> (case-insensitive, last one wins), or null.</summary>
    internal static string? Find(IEnumerable<KeyValuePair<string, string>> variables, string name)
    {
        string? found = null;
        foreach (var variable in variables)
        {
            if (string.Equals(variable.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                found = variable.Value;
            }
        }

        return found;
    }
}
