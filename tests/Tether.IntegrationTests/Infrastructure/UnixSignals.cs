using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Tether.IntegrationTests.Infrastructure;

/// <summary>Signal numbers and <c>kill(2)</c> for the processes the tests start.</summary>
public static class UnixSignals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    // These differ between Linux and macOS.
    public static int SIGSTOP => OperatingSystem.IsMacOS() ? 17 : 19;

    public static int SIGCONT => OperatingSystem.IsMacOS() ? 19 : 18;

    private static int ESRCH => 3; // same on Linux and macOS

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone.</summary>
    public static bool Send(int pid, int signal)
    {
        // kill(0 or negative) would signal a whole process group, possibly the test host's.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == ESRCH)
        {
            return false;
        }

        throw new Win32Exception(errno, $"kill({pid}, {signal}) failed");
    }

    // DllImport, not LibraryImport: the generator needs AllowUnsafeBlocks, which this test
    // project does not set; the signature is blittable, so nothing is marshalled either way.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
