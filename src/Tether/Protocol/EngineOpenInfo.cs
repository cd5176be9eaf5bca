using System.Text.Json;

namespace Tether.Protocol;

/// <summary>The engine.io OPEN packet: <c>0{"sid":…,"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}</c>.</summary>
internal sealed record EngineOpenInfo(string Sid, TimeSpan PingInterval, TimeSpan PingTimeout, long MaxPayload)
{
    public static bool TryParse(string json, out EngineOpenInfo? info, out string error)
    {
        info = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("sid", out var sid) || sid.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("pingInterval", out var interval) || !interval.TryGetInt64(out long intervalMs) || intervalMs <= 0
                || !root.TryGetProperty("pingTimeout", out var timeout) || !timeout.TryGetInt64(out long timeoutMs) || timeoutMs <= 0)
            {
                error = "engine.io open packet lacks sid, pingInterval or pingTimeout";
                return false;
            }

            long maxPayload = root.TryGetProperty("maxPayload", out var mp) && mp.TryGetInt64(out long m) && m > 0 ? m : 1_000_000;
            info = new EngineOpenInfo(sid.GetString()!, TimeSpan.FromMilliseconds(intervalMs), TimeSpan.FromMilliseconds(timeoutMs), maxPayload);
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            error = "engine.io open packet is not JSON: " + ex.Message;
            return false;
        }
    }
}
