using System.IO.Pipes;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Pty;

/// <summary>
/// A self-pipe that wakes one poll loop (a PTY session's reader thread) from any thread:
/// <see cref="Wake"/> writes a byte, the loop polls <see cref="ReadHandle"/>, calls
/// <see cref="Drain"/> once it is readable and then reads its state again under its lock.
/// Wake-ups coalesce into one pending byte, so a wake never blocks and the pipe never fills.
/// </summary>
/// <remarks>
/// Invariant: a byte in the pipe means the flag is set; the flag set over an empty pipe happens
/// only inside <see cref="Drain"/>, which drains first and clears after. A wake that comes
/// between the two writes nothing, and its change is seen when the loop reads its state after
/// the drain. Cleared first, a wake in between wrote a second byte, the drain took both and left
/// the flag set over an empty pipe: every later wake was lost. Thread-safe; one thread drains.
/// </remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class WakePipe : IDisposable
{
    // Both ends are created with CLOEXEC by the runtime.
    private readonly AnonymousPipeServerStream _writer;
    private int _pending;

    public WakePipe()
    {
        _writer = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        ReadHandle = _writer.ClientSafePipeHandle;
    }

    /// <summary>The end the loop polls for readability.</summary>
    public SafePipeHandle ReadHandle { get; }

    /// <summary>Makes the loop's poll return (at once if it polls now, else at its next poll).</summary>
    public unsafe void Wake()
    {
        if (Interlocked.Exchange(ref _pending, 1) != 0)
        {
            return;
        }

        byte one = 1;
        try
        {
            // One byte in an empty pipe never blocks.
            _ = Interop.Libc.Write(_writer.SafePipeHandle, &one, 1);
        }
        catch (ObjectDisposedException)
        {
            // Disposed; there is no loop left to wake.
        }
    }

    /// <summary>The loop, after its poll found <see cref="ReadHandle"/> readable: takes the byte, then clears the flag.</summary>
    public unsafe void Drain()
    {
        var bytes = stackalloc byte[16];
        _ = Interop.Libc.Read(ReadHandle, bytes, 16);
        Volatile.Write(ref _pending, 0);
    }

    public void Dispose()
    {
        _writer.Dispose();
        ReadHandle.Dispose();
    }
}
