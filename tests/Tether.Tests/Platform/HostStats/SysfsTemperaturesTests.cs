using System.Runtime.Versioning;
using Tether.Platform.Common;
using Tether.Platform.HostStats;
using Tether.Telemetry;

namespace Tether.Tests.Platform.HostStats;

/// <summary>
/// The sysfs temperature parser on captured trees of a laptop (coretemp, nvme, acpitz, iwlwifi,
/// thermal zones), a Raspberry Pi 4 (cpu_thermal in hwmon and as a thermal zone) and a server
/// (k10temp, nct6779 with unconnected inputs, two NVMe drives), and on this machine's /sys.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SysfsTemperaturesTests
{
    private static string Fixture(string name) => Path.Join(AppContext.BaseDirectory, "Platform", "HostStats", "Fixtures", name, "class");

    private static List<TemperatureReading> Read(string fixture)
    {
        var list = new List<TemperatureReading>();
        new SysfsTemperatures(new ProcFileReader(), Fixture(fixture)).Read(list);
        return list;
    }

    private static StatsData Sample(string fixture, params string[] sensors) =>
        new StatsCollector(new LinuxHostStats("/proc", Fixture(fixture)), TimeProvider.System, "0.0.0-test", settings: new Tether.Config.StatsSettings { Sensors = sensors })
            .Sample(null);

    [Fact]
    public void Laptop_HwmonLabelsThermalZonesWithoutDuplicates()
    {
        var readings = Read("sysfs-laptop");

        Assert.Equal(
            [
                ("acpitz/temp1", 45.0), ("nvme/Composite", 38.9), ("nvme/Sensor 1", 38.9), ("nvme/Sensor 2", 43.9),
                ("coretemp/Package id 0", 52.0), ("coretemp/Core 0", 50.0), ("coretemp/Core 1", 51.0),
                ("iwlwifi_1/temp1", 41.0), ("pch_cannonlake/temp1", 47.0),
                ("thermal/INT3400 Thermal", 20.0), ("thermal/x86_pkg_temp", 52.0),
            ],
            readings.Select(r => (r.Sensor, r.Celsius)).ToArray());
        var data = Sample("sysfs-laptop");
        Assert.Equal(52.0, data.CpuTempC);
        Assert.Equal(11, data.Temps!.Count);
    }

    [Fact]
    public void RaspberryPi_CpuThermalOnce_IsTheCpuTemperature()
    {
        var readings = Read("sysfs-raspberrypi");

        var only = Assert.Single(readings);
        Assert.Equal(("cpu_thermal/temp1", 48.7), (only.Sensor, only.Celsius));
        Assert.Equal(48.7, Sample("sysfs-raspberrypi").CpuTempC);
    }

    [Fact]
    public void Server_OutOfRangeDropped_TwoDrivesNumbered_TctlIsTheCpu()
    {
        var data = Sample("sysfs-server");

        Assert.Equal(
            [
                ("k10temp/Tctl", 61.3), ("k10temp/Tccd1", 55.5), ("k10temp/Tccd2", 57.0),
                ("nct6779/SYSTIN", 33.0), ("nct6779/CPUTIN", 45.5), ("nct6779/PECI Agent 0", 0.0),
                ("nvme/Composite", 40.9), ("nvme/Composite #2", 42.9),
            ],
            data.Temps!.Select(t => (t.Sensor, t.Celsius)).ToArray());
        Assert.Equal(61.3, data.CpuTempC);
    }

    [Fact]
    public void SensorsGlobs_AllowAndDeny()
    {
        var data = Sample("sysfs-server", "k10temp/*", "nvme/*", "!*/Tccd2");

        Assert.Equal(["k10temp/Tctl", "k10temp/Tccd1", "nvme/Composite", "nvme/Composite #2"], data.Temps!.Select(t => t.Sensor).ToArray());

        var denied = Sample("sysfs-server", "!k10temp/*");
        Assert.DoesNotContain(denied.Temps!, t => t.Sensor.StartsWith("k10temp", StringComparison.Ordinal));
        // Tctl denied: the next identifiable CPU figure is the board's CPUTIN.
        Assert.Equal(45.5, denied.CpuTempC);
    }

    [Fact]
    public void ThisMachine_RealSys_AgreesWithANaiveReading()
    {
        var data = new StatsCollector(new LinuxHostStats(), TimeProvider.System, "0.0.0-test").Sample(null);

        // A naive count of inputs whose value is in range; a VM usually has none, and then the member is absent.
        int naive = 0;
        if (Directory.Exists("/sys/class/hwmon"))
        {
            foreach (string chip in Directory.GetDirectories("/sys/class/hwmon"))
            {
                naive += Directory.GetFiles(chip, "temp*_input").Count(f => int.TryParse(File.ReadAllText(f).Trim(), out int v) && v is >= 0 and <= 150_000);
            }
        }

        if (naive == 0 && !Directory.EnumerateDirectories("/sys/class/thermal", "thermal_zone*").Any())
        {
            Assert.Null(data.Temps);
            Assert.Null(data.CpuTempC);
        }
        else
        {
            Assert.NotNull(data.Temps);
            Assert.True(data.Temps.Count >= naive);
        }
    }
}
