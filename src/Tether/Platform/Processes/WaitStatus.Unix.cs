using System.Runtime.Versioning;
using Tether.Platform.Common;
using Tether.Platform.Pty;

namespace Tether.Platform.Processes;

/// <summary>
/// Decodes a waitpid status word. The encoding is the same on Linux and macOS: low 7 bits
/// 0 = exited (code in bits 8–15), 0x7f = stopped, anything else = killed by that signal.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static class WaitStatus
{
    private const int SignalMask = 0x7f;
    private const int Stopped = 0x7f;

    /// <summary>The exit described by <paramref name="status"/>; <see cref="PtyExit.Unknown"/> for a stop/continue report.</summary>
    internal static PtyExit Decode(int status, UnixPlatform platform)
    {
        var low = status & SignalMask;
        if (low == 0)
        {
            return new PtyExit((status >> 8) & 0xff, null, null);
        }

        if (low != Stopped)
        {
            return new PtyExit(null, low, platform.SignalName(low));
        }

        return PtyExit.Unknown;
    }
}
