using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>ResumeThread: the previous suspend count, or <see cref="uint.MaxValue"/> on failure.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        internal static partial uint ResumeThread(SafeWaitHandle thread);
    }
}
