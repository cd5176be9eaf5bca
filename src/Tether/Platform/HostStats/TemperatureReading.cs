namespace Tether.Platform.HostStats;

/// <summary>One temperature sensor's reading.</summary>
/// <param name="Sensor">Stable name, <c>chip/label</c> for hwmon (<c>coretemp/Package id 0</c>), <c>thermal/type</c> for a thermal zone.</param>
/// <param name="CpuRank">0 when the sensor is not known to measure the CPU; otherwise lower is the better CPU package figure.</param>
internal readonly record struct TemperatureReading(string Sensor, double Celsius, int CpuRank);
