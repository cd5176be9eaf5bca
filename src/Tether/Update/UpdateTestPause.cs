namespace Tether.Update;

/// <summary>
/// Test-only (docs/protocol.md §10, "Crash safety"): when <c>TETHER_UPDATE_TEST_PAUSE</c> names
/// a step of an install or a rollback, the agent writes <c>tether: update test pause at STEP</c>
/// to stderr when it gets there and waits until it is killed (an install also stops waiting at
/// shutdown), so a test can SIGKILL it at exactly that point. Unset, as in production, it does
/// nothing: it changes no file and no order.
/// </summary>
internal static class UpdateTestPause
{
    public const string Variable = "TETHER_UPDATE_TEST_PAUSE";

    /// <summary>The new file is downloaded, checked and self-tested; nothing else changed.</summary>
    public const string Verified = "verified";

    /// <summary>The previous binary is kept (Unix); no state written yet.</summary>
    public const string PreviousKept = "previous-kept";

    /// <summary>The highest version and the probation record are written; the binary is still the old one.</summary>
    public const string ProbationWritten = "probation-written";

    /// <summary>The new file is the binary; the restart has not happened.</summary>
    public const string Swapped = "swapped";

    /// <summary>A rollback wrote its report and mark; the binary is still the new one.</summary>
    public const string RollbackReported = "rollback-reported";

    /// <summary>A rollback put the previous binary back; the probation record is still there.</summary>
    public const string RollbackSwapped = "rollback-swapped";

    public static async Task AtAsync(string step, CancellationToken ct)
    {
        if (Announce(step))
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
    }

    public static void At(string step)
    {
        if (Announce(step))
        {
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private static bool Announce(string step)
    {
        if (!string.Equals(Environment.GetEnvironmentVariable(Variable), step, StringComparison.Ordinal))
        {
            return false;
        }

        Console.Error.WriteLine("tether: update test pause at " + step);
        Console.Error.Flush();
        return true;
    }
}
