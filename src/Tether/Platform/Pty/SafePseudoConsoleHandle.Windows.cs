using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Pty;

/// <summary>An HPCON; releasing it calls ClosePseudoConsole.</summary>
/// <remarks>
/// ClosePseudoConsole can block until the console host's last frame has been read from the
/// output pipe (before Windows 11 24H2), so never dispose this on the pipe's reader thread
/// (docs/field-notes.md); <see cref="WindowsPtySession"/> disposes it on a thread of its own.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class SafePseudoConsoleHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafePseudoConsoleHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Interop.Kernel32.ClosePseudoConsole(handle);
        return true;
    }
}
