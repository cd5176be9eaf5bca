using System.Runtime.ExceptionServices;

namespace Tether.Tests.Infrastructure;

/// <summary>Counts the exceptions thrown on the calling thread while an action runs, caught or not.</summary>
/// <remarks>Other tests throw on other threads at the same time; only this thread's are counted.</remarks>
internal static class FirstChanceExceptions
{
    public static int CountOnThisThread(Action action)
    {
        int thread = Environment.CurrentManagedThreadId;
        int thrown = 0;
        EventHandler<FirstChanceExceptionEventArgs> count = (_, _) =>
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                Interlocked.Increment(ref thrown);
            }
        };
        AppDomain.CurrentDomain.FirstChanceException += count;
        try
        {
            action();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= count;
        }

        return thrown;
    }
}
