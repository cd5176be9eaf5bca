using System.Globalization;
using System.Text.Json;

namespace Tether.Config;

/// <summary>
/// Typed, validated look-ups over one load: environment (stronger) then the parsed file, else the default.
/// The first invalid value throws <see cref="ConfigErrorException"/>, which <see cref="ConfigLoader"/> turns into the result's error.
/// </summary>
internal sealed class ConfigReader
{
    private readonly ConfigSources _sources;
    private readonly JsonElement? _root;
    private readonly string _configPath;
    private readonly string _configDirectory;

    public ConfigReader(ConfigSources sources, JsonElement? root, string configPath)
    {
        _sources = sources;
        _root = root;
        _configPath = configPath;
        _configDirectory = Path.GetDirectoryName(configPath) ?? sources.WorkingDirectory;
    }

    /// <summary>A value with where it came from, for messages and relative-path resolution.</summary>
    public readonly record struct Sourced<T>(T Value, string Origin, string BaseDirectory);

    public static ConfigErrorException Fail(string message) => new("config: " + message);

    /// <summary>A non-empty environment value; empty counts as unset, like <c>process.env.X || …</c> in the Node agent.</summary>
    public string? Env(string? name) =>
        name is not null && _sources.Environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    /// <summary>The file's value at a dotted key; JSON null counts as absent.</summary>
    public JsonElement? File(string key)
    {
        if (_root is not { } node)
        {
            return null;
        }

        foreach (var part in key.Split('.'))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(part, out node))
            {
                return null;
            }
        }

        return node.ValueKind == JsonValueKind.Null ? null : node;
    }

    public long Integer(string key, string? env, long fallback, long min, long max)
    {
        var expected = string.Create(CultureInfo.InvariantCulture, $"an integer between {min} and {max}");
        if (Env(env) is { } text)
        {
            if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
            {
                return v;
            }

            throw Fail($"{key} must be {expected} (got {Quote(text)} from {env})");
        }

        if (File(key) is { } el)
        {
            if (el.ValueKind == JsonValueKind.Number && el.TryGetInt64(out var v) && v >= min && v <= max)
            {
                return v;
            }

            throw Fail($"{key} must be {expected} (got {Describe(el, secret: false)} from {_configPath})");
        }

        return fallback;
    }

    public bool Boolean(string key, string? env, bool fallback)
    {
        if (Env(env) is { } text)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "true" or "1":
                    return true;
                case "false" or "0":
                    return false;
                default:
                    throw Fail($"{key} must be true, false, 1 or 0 (got {Quote(text)} from {env})");
            }
        }

        if (File(key) is { } el)
        {
            return el.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Fail($"{key} must be true or false (got {Describe(el, secret: false)} from {_configPath})"),
            };
        }

        return fallback;
    }

    public Sourced<string>? String(string key, string? env, bool secret = false)
    {
        if (Env(env) is { } text)
        {
            return new(text, env!, _sources.WorkingDirectory);
        }

        if (File(key) is { } el)
        {
            if (el.ValueKind != JsonValueKind.String)
            {
                throw Fail($"{key} must be a string (got {Describe(el, secret)} from {_configPath})");
            }

            return new(el.GetString()!, _configPath, _configDirectory);
        }

        return null;
    }

    /// <summary>A string list: the file's array of strings, or a comma-separated environment value (entries trimmed, empties dropped).</summary>
    public Sourced<IReadOnlyList<string>>? List(string key, string? env)
    {
        if (Env(env) is { } text)
        {
            var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return new(items, env!, _sources.WorkingDirectory);
        }

        if (File(key) is not { } el)
        {
            return null;
        }

        if (el.ValueKind != JsonValueKind.Array)
        {
            throw Fail($"{key} must be an array of strings (got {Describe(el, secret: false)} from {_configPath})");
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in el.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"{key}[{index}] must be a non-empty string (got {Describe(item, secret: false)} from {_configPath})"));
            }

            list.Add(item.GetString()!);
            index++;
        }

        return new(list, _configPath, _configDirectory);
    }

    /// <summary>An absolute path: <c>~</c> expands to the home directory, relative paths resolve against the source's base directory.</summary>
    public string ResolvePath(string key, Sourced<string> value)
    {
        var text = value.Value;
        if (text.Trim().Length == 0 || text.Contains('\0', StringComparison.Ordinal))
        {
            throw Fail($"{key} must be a non-empty path (got {Quote(text)} from {value.Origin})");
        }

        text = ExpandHome(text);
        try
        {
            return Path.GetFullPath(text, value.BaseDirectory);
        }
        catch (ArgumentException)
        {
            throw Fail($"{key} is not a valid path (got {Quote(text)} from {value.Origin})");
        }
    }

    /// <summary>Absolute paths only (policy lists must not depend on the working directory); <c>~</c> expands.</summary>
    public IReadOnlyList<string> AbsolutePaths(string key, Sourced<IReadOnlyList<string>>? values)
    {
        if (values is not { } v)
        {
            return [];
        }

        var result = new List<string>(v.Value.Count);
        for (var i = 0; i < v.Value.Count; i++)
        {
            var text = ExpandHome(v.Value[i]);
            if (text.Contains('\0', StringComparison.Ordinal) || !Path.IsPathFullyQualified(text))
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture, $"{key}[{i}] must be an absolute path (got {Quote(v.Value[i])} from {v.Origin})"));
            }

            result.Add(Path.GetFullPath(text));
        }

        return result;
    }

    public static string Quote(string text)
    {
        var shown = text.Length > 80 ? text[..80] + "…" : text;
        return JsonSerializerQuote(shown);
    }

    /// <summary>How a wrong JSON value is shown in a message; a secret's value is never shown, only its kind.</summary>
    public static string Describe(JsonElement el, bool secret)
    {
        if (!secret && el.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            var raw = el.GetRawText();
            return raw.Length > 80 ? raw[..80] + "…" : raw;
        }

        return el.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
    }

    private string ExpandHome(string path) =>
        path == "~" ? _sources.HomeDirectory
        : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(_sources.HomeDirectory, path[2..])
        : path;

    private static string JsonSerializerQuote(string text)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStringValue(text);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
