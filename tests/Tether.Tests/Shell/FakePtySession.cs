using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Tether.Platform.Pty;

namespace Tether.Tests.Shell;

/// <summary>A scripted PTY session: output is fed by the test, signals are recorded with the fake time.</summary>
internal sealed class FakePtySession : IPtySession
{
    private readonly Channel<byte[]> _output = Channel.CreateUnbounded<byte[]>();
    private readonly TaskCompletionSource<PtyExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeTimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<(PtySignal Signal, DateTimeOffset At)> _signals = [];
    private byte[]? _pending;

    public FakePtySession(FakeTimeProvider time, int pid = 424242)
    {
        _time = time;
        Pid = pid;
    }

    public int Pid { get; }

    public Task<PtyExit> Exited => _exited.Task;

    /// <summary>Whether SIGHUP ends the program (a shell) or is ignored (a stubborn one).</summary>
    public bool ExitsOnHangup { get; init; } = true;

    /// <summary>The SIGHUP that ends it: 2 for a bash that caught the first one just after a command line.</summary>
    public int HangupsToExit { get; init; } = 1;

    public bool Disposed { get; private set; }

    public List<(PtySignal Signal, DateTimeOffset At)> Signals
    {
        get
        {
            lock (_gate)
            {
                return [.. _signals];
            }
        }
    }

    public List<(int Columns, int Rows)> Resizes { get; } = [];

    public void Emit(byte[] data) => _output.Writer.TryWrite(data);

    public void Exit(PtyExit exit)
    {
        _output.Writer.TryComplete();
        _exited.TrySetResult(exit);
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var data = _pending;
        _pending = null;
        if (data is null)
        {
            if (!await _output.Reader.WaitToReadAsync(cancellationToken) || !_output.Reader.TryRead(out data))
            {
                return 0;
            }
        }

        var n = Math.Min(buffer.Length, data.Length);
        data.AsSpan(0, n).CopyTo(buffer.Span);
        if (n < data.Length)
        {
            _pending = data[n..];
        }

        return n;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Resize(int columns, int rows) => Resizes.Add((columns, rows));

    public bool SignalGroup(PtySignal signal)
    {
        int hangups;
        lock (_gate)
        {
            if (_exited.Task.IsCompleted)
            {
                return false;
            }

            _signals.Add((signal, _time.GetUtcNow()));
            hangups = _signals.Count(s => s.Signal == PtySignal.Hangup);
        }

        if (signal == PtySignal.Kill)
        {
            Exit(new PtyExit(null, 9, "SIGKILL"));
        }
        else if (signal == PtySignal.Hangup && ExitsOnHangup && hangups >= HangupsToExit)
        {
            Exit(new PtyExit(null, 1, "SIGHUP"));
        }

        return true;
    }

    public void Dispose()
    {
        Disposed = true;
        _output.Writer.TryComplete();
    }
}
