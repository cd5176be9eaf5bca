using System.Buffers;
using Microsoft.Extensions.Logging;
using Tether.Platform.Processes;

namespace Tether.Commands;

/// <summary>
/// Runs one admitted command (docs/protocol.md §4): its own process group, stdout/stderr captured up to
/// the limit and the rest read and dropped (the child never blocks on a full pipe and runs to
/// its end), optional stdin bytes (the crontab), and a timeout that kills the whole group.
/// </summary>
/// <remarks>
/// When the leader ends, whatever it left in its group (background jobs, daemons that did not
/// leave the group) is killed at once, as closing a shell kills its session (docs/protocol.md §4); output
/// they had already written is still read. The leader stays unreaped until then (see
/// <see cref="IChildProcess"/>), so neither that kill nor the one after a timeout can hit a
/// recycled group. A tree member that left the group (setsid) and still holds a pipe gets
/// <see cref="EscapeGrace"/> after the kill, then its output is abandoned. Thread-safe: stateless
/// besides the injected services.
/// </remarks>
internal sealed partial class CommandRunner(IChildProcessLauncher launcher, TimeProvider time, ILogger<CommandRunner> log)
{
    /// <summary>How long output is still read after the tree was killed or the leader ended past the deadline.</summary>
    public static readonly TimeSpan EscapeGrace = TimeSpan.FromSeconds(1);

    private const int ReadBufferSize = 64 * 1024;

    /// <summary>
    /// Starts and waits for the command. <paramref name="ct"/> is the agent's shutdown: the tree
    /// is killed and the run reported as cancelled.
    /// </summary>
    /// <exception cref="ChildProcessException">It could not be started.</exception>
    public async Task<CommandRun> RunAsync(
        ChildProcessStartOptions start,
        ReadOnlyMemory<byte> stdin,
        TimeSpan timeout,
        int maxOutputBytes,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(start);
        var started = time.GetTimestamp();
        using var child = launcher.Start(start);
        var stdout = new OutputCapture(maxOutputBytes);
        var stderr = new OutputCapture(maxOutputBytes);
        using var readers = new CancellationTokenSource();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var outTask = PumpAsync(child.StandardOutput, stdout, readers.Token);
        var errTask = PumpAsync(child.StandardError, stderr, readers.Token);
        var inTask = child.StandardInput is { } input ? FeedAsync(input, stdin, deadline.Token) : Task.CompletedTask;
        var output = Task.WhenAll(outTask, errTask);
        long? endedAt = null;
        var hitDeadline = false;
        try
        {
            await child.Exited.WaitAsync(deadline.Token);
            endedAt = time.GetTimestamp();

            // The leader is a zombie now, keeping the group id reserved: end what it left behind.
            child.KillTree();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            hitDeadline = true;
            child.KillTree();
            LogKilled(child.Pid, ct.IsCancellationRequested ? "agent shutting down" : "timeout");
        }

        // After a kill the group is gone and the pipes reach EOF at once, unless a member escaped.
        await child.Exited;
        endedAt ??= time.GetTimestamp();
        if (!output.IsCompleted)
        {
            readers.CancelAfter(EscapeGrace);
        }

        await output;
        await inTask;
        var exit = child.Reap();
        return new CommandRun(exit, hitDeadline && !ct.IsCancellationRequested, hitDeadline && ct.IsCancellationRequested, stdout, stderr, (long)time.GetElapsedTime(started, endedAt.Value).TotalMilliseconds);
    }

    private static async Task PumpAsync(Stream stream, OutputCapture capture, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(0, ReadBufferSize), ct)) > 0)
            {
                capture.Append(buffer.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException)
        {
            // Abandoned after the grace: an escaped process still holds the pipe.
        }
        catch (IOException)
        {
            // The pipe broke; what was read is kept.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task FeedAsync(Stream input, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        try
        {
            if (!bytes.IsEmpty)
            {
                await input.WriteAsync(bytes, ct);
                await input.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The child stopped reading (exited or was killed); its status tells the story.
        }
        finally
        {
            await input.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "admin command pid {Pid}: killed its process group ({Why})")]
    private partial void LogKilled(int pid, string why);
}
