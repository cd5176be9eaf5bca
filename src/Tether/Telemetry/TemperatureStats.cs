namespace Tether.Telemetry;

/// <summary>One entry of <c>temps</c> (docs/protocol.md §3): a sensor's name and its reading in °C, one decimal.</summary>
internal sealed record TemperatureStats(string Sensor, double Celsius);
