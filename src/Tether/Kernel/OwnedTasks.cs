namespace Tether.Kernel;

/// <summary>
/// The background work a capability started from a handler (handlers must not block the receive
/// loop): every task is owned, its failure is reported instead of going unobserved, and shutdown
/// can wait for what is still running (docs/style.md "Every task has an owner").
/// Thread-safety: all members may be called from any thread.
/// </summary>
internal sealed class OwnedTasks(Action<Exception> onFault)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];

    /// <summary>Starts <paramref name="work"/> on the thread pool and owns it.</summary>
    public void Run(Func<Task> work)
    {
        Task task = Task.Run(work);
        lock (_gate)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _running.Remove(t);
                }

                if (t.Exception is { } e)
                {
                    onFault(e.InnerException ?? e);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes when every task running now has ended, or throws when <paramref name="ct"/> fires first.</summary>
    public Task WhenAllAsync(CancellationToken ct)
    {
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        return Task.WhenAll(running).WaitAsync(ct);
    }
}
