using System.Buffers.Text;
using System.Globalization;
using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.HostStats;

/// <summary>
/// Temperatures from sysfs (docs/protocol.md §3 <c>temps</c>): every <c>hwmon*/temp*_input</c>
/// named <c>chip/label</c> (<c>coretemp/Package id 0</c>, <c>k10temp/Tctl</c>, <c>nct6775/SYSTIN</c>;
/// <c>chip/tempN</c> without a label) and every <c>thermal_zone*</c> named <c>thermal/type</c>,
/// except zones that the thermal core already exports as an hwmon chip of the same name (a Pi's
/// <c>cpu_thermal</c> appears in both places). Values are millidegrees Celsius.
/// </summary>
/// <remarks>
/// Not thread-safe. Which files exist is discovered once and again every
/// <see cref="RediscoverEvery"/> reads or when a file vanishes; a read in between opens each
/// input file once and allocates nothing.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class SysfsTemperatures
{
    private const int RediscoverEvery = 30;

    private readonly ProcFileReader _reader;
    private readonly string _classRoot;
    private readonly List<Source> _sources = [];
    private int _readsSinceDiscovery = int.MaxValue;

    /// <param name="classRoot">The <c>/sys/class</c> folder (a captured tree in tests).</param>
    public SysfsTemperatures(ProcFileReader reader, string classRoot)
    {
        _reader = reader;
        _classRoot = classRoot;
    }

    public void Read(List<TemperatureReading> into)
    {
        into.Clear();
        if (_readsSinceDiscovery >= RediscoverEvery)
        {
            Discover();
        }

        _readsSinceDiscovery++;
        foreach (var source in _sources)
        {
            if (!_reader.TryRead(source.InputPath, out var text))
            {
                // A sensor that went away (a hot-unplugged drive): look again next time.
                _readsSinceDiscovery = RediscoverEvery;
                continue;
            }

            text = text.TrimEnd("\n "u8);
            if (Utf8Parser.TryParse(text, out long millidegrees, out int used) && used == text.Length)
            {
                into.Add(new TemperatureReading(source.Sensor, Math.Round(millidegrees / 1000.0, 1, MidpointRounding.AwayFromZero), source.CpuRank));
            }
        }
    }

    /// <summary>How likely a sensor is the CPU package: 0 = not a CPU figure, 1 = best.</summary>
    internal static int CpuRank(string chip, string label)
    {
        return chip switch
        {
            "coretemp" when label.StartsWith("Package id", StringComparison.Ordinal) => 1,
            "k10temp" or "zenpower" when label == "Tdie" => 1,
            "k10temp" or "zenpower" when label == "Tctl" => 2,
            "cpu_thermal" or "cpu-thermal" or "soc_thermal" or "cpu0_thermal" or "cpu0-thermal" => 1,
            "thermal" when label is "x86_pkg_temp" => 3,
            "thermal" when label is "cpu_thermal" or "cpu-thermal" or "soc_thermal" or "soc-thermal" or "cpu0-thermal" => 1,
            _ when chip.StartsWith("nct", StringComparison.Ordinal) || chip.StartsWith("it87", StringComparison.Ordinal)
                => label.Equals("CPUTIN", StringComparison.OrdinalIgnoreCase) ? 4 : 0,
            _ => 0,
        };
    }

    private void Discover()
    {
        _readsSinceDiscovery = 0;
        _sources.Clear();
        var chipNames = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (string chipDir in SortedDirectories(Path.Join(_classRoot, "hwmon"), "hwmon"))
        {
            string? chip = ReadLine(Path.Join(chipDir, "name"));
            if (string.IsNullOrEmpty(chip))
            {
                continue;
            }

            chipNames.Add(chip.Replace('-', '_'));
            foreach (var (index, input) in TempInputs(chipDir))
            {
                string label = ReadLine(Path.Join(chipDir, $"temp{index}_label")) is { Length: > 0 } l ? l : $"temp{index}";
                Add(seen, $"{chip}/{label}", input, CpuRank(chip, label));
            }
        }

        foreach (string zoneDir in SortedDirectories(Path.Join(_classRoot, "thermal"), "thermal_zone"))
        {
            string? type = ReadLine(Path.Join(zoneDir, "type"));
            if (string.IsNullOrEmpty(type) || chipNames.Contains(type.Replace('-', '_')))
            {
                continue;
            }

            Add(seen, $"thermal/{type}", Path.Join(zoneDir, "temp"), CpuRank("thermal", type));
        }
    }

    private void Add(Dictionary<string, int> seen, string sensor, string input, int cpuRank)
    {
        // Two chips of one name (two NVMe drives) get "#2", "#3" in discovery order.
        int count = seen.TryGetValue(sensor, out int n) ? n + 1 : 1;
        seen[sensor] = count;
        _sources.Add(new Source(count == 1 ? sensor : string.Create(CultureInfo.InvariantCulture, $"{sensor} #{count}"), input, cpuRank));
    }

    private static IEnumerable<(int Index, string Path)> TempInputs(string chipDir)
    {
        var inputs = new List<(int, string)>();
        try
        {
            foreach (string file in Directory.EnumerateFiles(chipDir, "temp*_input"))
            {
                string name = Path.GetFileName(file);
                if (int.TryParse(name.AsSpan(4, name.Length - 4 - "_input".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    inputs.Add((index, file));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        inputs.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return inputs;
    }

    // hwmon10 after hwmon9: order by the number, so names and "#2" suffixes are stable.
    private static List<string> SortedDirectories(string folder, string prefix)
    {
        var found = new List<(int, string)>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories(folder, prefix + "*"))
            {
                string name = Path.GetFileName(dir);
                if (int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                {
                    found.Add((n, dir));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        found.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return found.ConvertAll(f => f.Item2);
    }

    private static string? ReadLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Source(string Sensor, string InputPath, int CpuRank);
}
