using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Tether.Platform.Pty;

namespace Tether.Tests.Infrastructure;

/// <summary>
/// A real shell in a pseudo-terminal for tests: waits for output markers with a deadline
/// (never sleeps) and kills the whole process group on dispose, also when the test failed.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class PtyShell : IAsyncDisposable
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly StringBuilder _output = new();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _cursor;
    private int _markers;

    private PtyShell(IPtySession session)
    {
        Session = session;
    }

    internal IPtySession Session { get; }

    internal string Output => _output.ToString();

    internal static string? Bash => File.Exists("/bin/bash") ? "/bin/bash" : null;

    internal static IReadOnlyList<string> DefaultEnvironment { get; } =
        ["PATH=/usr/local/bin:/usr/bin:/bin", "TERM=xterm-256color", "HOME=/tmp", "PS1=$ ", "LC_ALL=C"];

    internal static IPty Pty => PtyFactory.Create() ?? throw new PlatformNotSupportedException();

    internal static PtyShell Start(
        string file = "/bin/sh",
        IReadOnlyList<string>? arguments = null,
        IReadOnlyList<string>? environment = null,
        string workingDirectory = "/",
        int columns = 80,
        int rows = 24,
        IPty? pty = null) =>
        new((pty ?? Pty).Start(new PtyStartOptions(file, arguments ?? [], environment ?? DefaultEnvironment, workingDirectory, columns, rows)));

    internal static PtyShell StartBash() =>
        Start(Bash!, ["--norc", "--noprofile", "-i"]);

    internal Task SendAsync(string text) =>
        Session.WriteAsync(Encoding.UTF8.GetBytes(text), CancellationToken.None).AsTask();

    /// <summary>Runs <paramref name="command"/> and returns the output up to a marker printed after it.</summary>
    /// <remarks>The marker is computed by the shell, so the echoed command line never matches it.</remarks>
    internal async Task<string> RunAsync(string command)
    {
        var n = 1000 + Interlocked.Increment(ref _markers);
        await SendAsync($"{command}; echo '<'M$(({n}+0))'>'\n");
        return await ExpectAsync($"<M{n.ToString(CultureInfo.InvariantCulture)}>");
    }

    /// <summary>Reads until <paramref name="marker"/> appears after the previous match; returns the text before it.</summary>
    internal async Task<string> ExpectAsync(string marker)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var searchFrom = _cursor;
        while (true)
        {
            var index = IndexOf(marker, searchFrom);
            searchFrom = Math.Max(_cursor, _output.Length - marker.Length);
            if (index >= 0)
            {
                var text = _output.ToString(_cursor, index - _cursor);
                _cursor = index + marker.Length;
                return text;
            }

            int read;
            try
            {
                read = await Session.ReadAsync(_buffer, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No '{marker}' within {Deadline}. Output so far:\n{_output}");
            }

            if (read == 0)
            {
                throw new EndOfStreamException($"Output ended before '{marker}'. Output:\n{_output}");
            }

            _output.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }
    }

    private int IndexOf(string marker, int from)
    {
        var tail = _output.ToString(from, _output.Length - from);
        var index = tail.IndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? -1 : from + index;
    }

    /// <summary>Reads until end of output; returns everything after the last match.</summary>
    internal async Task<string> ReadToEndAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        int read;
        while ((read = await Session.ReadAsync(_buffer, deadline.Token)) > 0)
        {
            _output.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }

        return _output.ToString(_cursor, _output.Length - _cursor);
    }

    internal static async Task<PtyExit> WaitExitAsync(IPtySession session) =>
        await session.Exited.WaitAsync(Deadline);

    public async ValueTask DisposeAsync()
    {
        try
        {
            Session.SignalGroup(PtySignal.Kill);
        }
        finally
        {
            Session.Dispose();
        }

        await WaitExitAsync(Session);
    }
}
