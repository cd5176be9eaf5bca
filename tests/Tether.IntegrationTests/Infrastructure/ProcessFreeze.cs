namespace Tether.IntegrationTests.Infrastructure;

/// <summary>
/// Stops a process (SIGSTOP) the moment a condition holds, so a test can act "in the middle of"
/// something the process does quickly, such as a copy. The condition is polled every
/// millisecond on a thread of its own: a poll on the test host's thread pool can come later than
/// the whole copy when other tests keep the pool busy. Disposing resumes the process (SIGCONT);
/// a signal sent while it is stopped is handled once it resumes.
/// </summary>
public sealed class ProcessFreeze : IDisposable
{
    private readonly int _pid;
    private int _resumed;

    private ProcessFreeze(int pid) => _pid = pid;

    /// <summary>
    /// Completes once <paramref name="condition"/> held and <paramref name="pid"/> was stopped;
    /// throws <see cref="TimeoutException"/> when it did not hold within <paramref name="timeout"/>.
    /// An <see cref="IOException"/> from the condition counts as "not yet" (a file renamed while
    /// it was looked at).
    /// </summary>
    public static Task<ProcessFreeze> WhenAsync(int pid, Func<bool> condition, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource<ProcessFreeze>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = new Thread(() =>
        {
            try
            {
                var deadline = DateTime.UtcNow + timeout;
                while (!Holds(condition))
                {
                    if (DateTime.UtcNow >= deadline)
                    {
                        done.SetException(new TimeoutException($"{what}: not seen within {timeout}"));
                        return;
                    }

                    Thread.Sleep(1);
                }

                if (!UnixSignals.Send(pid, UnixSignals.SIGSTOP))
                {
                    done.SetException(new InvalidOperationException($"{what}: seen, but process {pid} is gone"));
                    return;
                }

                done.SetResult(new ProcessFreeze(pid));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "process freeze",
        };
        watcher.Start();
        return done.Task;
    }

    /// <summary>Resumes the process (SIGCONT); nothing when it is gone.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _resumed, 1) == 0)
        {
            UnixSignals.Send(_pid, UnixSignals.SIGCONT);
        }
    }

    private static bool Holds(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (IOException)
        {
            return false;
        }
    }
}
