namespace Tether.Tests.Infrastructure;

/// <summary>
/// Waits for a condition only the OS can tell (a process state in /proc, a file appearing) by
/// checking it every 20 ms up to a deadline. Not a synchronising sleep: the wait ends as soon as
/// the condition holds, and the deadline only bounds a failure.
/// </summary>
/// <remarks>Shared by the unit and the integration tests (linked into the latter).</remarks>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="deadline"/> passed first.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(Interval);
        }

        return true;
    }

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="deadline"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        if (!await UntilAsync(condition, deadline))
        {
            throw new TimeoutException("timed out waiting for " + what);
        }
    }
}
