namespace Tether.Config;

/// <summary>The <c>stats</c> section (docs/protocol.md §3, §7): which disks, sensors and containers <c>stats</c> reports.</summary>
internal sealed class StatsSettings
{
    /// <summary>Mount points (or globs such as <c>/snap/**</c>) left out of <c>disks</c>.</summary>
    public IReadOnlyList<string> ExcludeMounts { get; init; } = [];

    /// <summary>
    /// Globs over sensor names for <c>temps</c>: a sensor is reported when it matches no
    /// <c>!</c>-prefixed (deny) glob and, if any allow glob is given, at least one of them.
    /// </summary>
    public IReadOnlyList<string> Sensors { get; init; } = [];

    /// <summary><c>stats.containers</c>: <see langword="true"/> for <c>"auto"</c> (the default), false for <c>"off"</c>.</summary>
    public bool Containers { get; init; } = true;
}
