using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tether.Platform.ServiceHost;

/// <summary>
/// Parses <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> like sd_watchdog_enabled(3): the watchdog
/// is ours when the timeout is a positive number of microseconds and the pid, if given, is ours.
/// We ping at half the timeout, as that page recommends. Thread-safe: stateless.
/// </summary>
internal static class WatchdogSettings
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(1);

    // PeriodicTimer takes at most uint.MaxValue - 1 ms; a day is already far past any sane WatchdogSec.
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <param name="interval">How often to send <c>WATCHDOG=1</c>; null when the watchdog is off or not ours.</param>
    /// <returns>False with a reason when a variable is set but malformed (the watchdog stays off).</returns>
    public static bool TryParse(string? usec, string? pid, int processId, out TimeSpan? interval, [NotNullWhen(false)] out string? error)
    {
        interval = null;
        error = null;
        if (string.IsNullOrEmpty(usec))
        {
            return true;
        }

        if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong timeoutUsec) || timeoutUsec == 0)
        {
            error = $"WATCHDOG_USEC '{usec}' is not a positive number of microseconds; the watchdog stays off";
            return false;
        }

        if (!string.IsNullOrEmpty(pid))
        {
            if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int watchdogPid) || watchdogPid <= 0)
            {
                error = $"WATCHDOG_PID '{pid}' is not a process id; the watchdog stays off";
                return false;
            }

            if (watchdogPid != processId)
            {
                // Meant for another process (we were started by it, or it exec'd us under a wrapper).
                return true;
            }
        }

        TimeSpan half = timeoutUsec / 2 >= (ulong)MaxInterval.TotalMicroseconds
            ? MaxInterval
            : TimeSpan.FromMicroseconds(timeoutUsec / 2);
        interval = half < MinInterval ? MinInterval : half;
        return true;
    }
}
