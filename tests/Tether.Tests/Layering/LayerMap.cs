namespace Tether.Tests.Layering;

/// <summary>
/// The layer block of docs/architecture.md: one line a layer, top first; <c>|</c> separates
/// modules of one layer that must not use each other, <c>,</c> joins namespaces into one module.
/// A module may use its own namespaces and any module on a lower line.
/// </summary>
internal sealed class LayerMap
{
    private readonly List<(string Namespace, int Layer, int Module)> _entries = [];

    private LayerMap()
    {
    }

    public static LayerMap Parse(string markdown)
    {
        const string Fence = "```layers";
        int start = markdown.IndexOf(Fence, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidDataException("docs/architecture.md has no ```layers block");
        }

        int end = markdown.IndexOf("```", start + Fence.Length, StringComparison.Ordinal);
        var map = new LayerMap();
        int module = 0;
        string[] lines = markdown[(start + Fence.Length)..end].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int layer = 0; layer < lines.Length; layer++)
        {
            foreach (string group in lines[layer].Split('|', StringSplitOptions.TrimEntries))
            {
                foreach (string ns in group.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    map._entries.Add((ns, layer, module));
                }

                module++;
            }
        }

        return map;
    }

    /// <summary>The layer and module of a namespace: its longest listed prefix; null when none is listed.</summary>
    public (int Layer, int Module, string Name)? Find(string ns)
    {
        (string Namespace, int Layer, int Module)? best = null;
        foreach (var e in _entries)
        {
            bool covers = ns == e.Namespace || ns.StartsWith(e.Namespace + ".", StringComparison.Ordinal);
            if (covers && (best is null || e.Namespace.Length > best.Value.Namespace.Length))
            {
                best = e;
            }
        }

        return best is { } b ? (b.Layer, b.Module, b.Namespace) : null;
    }

    /// <summary>True when code in <paramref name="from"/> may use <paramref name="to"/>.</summary>
    public static bool MayUse((int Layer, int Module, string Name) from, (int Layer, int Module, string Name) to) =>
        from.Module == to.Module || to.Layer > from.Layer;
}
