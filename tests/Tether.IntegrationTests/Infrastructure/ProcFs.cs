using System.Globalization;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>Reads <c>/proc/&lt;pid&gt;/stat</c> (Linux).</summary>
public static class ProcFs
{
    /// <summary>The state letter (R, S, T, Z, ...) or null when the process is gone.</summary>
    public static char? GetState(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // "pid (comm) S ...": comm may itself contain ") ", so look from the last one.
            var close = stat.LastIndexOf(") ", StringComparison.Ordinal);
            return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
