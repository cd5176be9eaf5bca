using System.Runtime.Versioning;
using Tether.Platform;
using Tether.Platform.Pty;

namespace Tether.Tests.Platform.Pty;

[SupportedOSPlatform("linux")]
public sealed class WakePipeTests
{
    private const short PollIn = 1; // POLLIN, Linux and macOS

    [Fact]
    public void Wake_ThenDrain_ThenWakeAgain_MakesThePipeReadableEachTime()
    {
        using var pipe = new WakePipe();
        Assert.False(IsReadable(pipe, 0));

        pipe.Wake();
        pipe.Wake(); // coalesced: one byte
        Assert.True(IsReadable(pipe, 0));
        pipe.Drain();
        Assert.False(IsReadable(pipe, 0));

        pipe.Wake();
        Assert.True(IsReadable(pipe, 0));
    }

    [Fact]
    public void WakesFromAnotherThread_RacingWithTheDrains_AreNeverLost()
    {
        // The reader thread's loop against a thread that wakes it without pause: each drain has
        // wakes landing right beside it. Clearing the flag before draining lost them all after
        // the first race (the flag stayed set over an empty pipe); the poll then waits for good.
        using var pipe = new WakePipe();
        var stop = 0;
        var waker = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                pipe.Wake();
            }
        });
        waker.Start();
        try
        {
            for (var i = 0; i < 20_000; i++)
            {
                Assert.True(IsReadable(pipe, 5_000), $"a wake-up was lost after {i} drains");
                pipe.Drain();
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            waker.Join();
        }

        // Quiet again: one more wake still gets through.
        if (IsReadable(pipe, 0))
        {
            pipe.Drain();
        }

        pipe.Wake();
        Assert.True(IsReadable(pipe, 5_000), "the wake after the race was lost");
    }

    private static unsafe bool IsReadable(WakePipe pipe, int timeoutMs)
    {
        var fd = new Interop.Libc.PollFd { Fd = (int)pipe.ReadHandle.DangerousGetHandle(), Events = PollIn };
        return Interop.Libc.Poll(&fd, 1, timeoutMs) == 1 && (fd.ReturnedEvents & PollIn) != 0;
    }
}
