using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        internal const int ERROR_BROKEN_PIPE = 109;

        /// <summary>ReadFile, synchronous (no OVERLAPPED). On a pipe, ERROR_BROKEN_PIPE means every writer has closed: EOF.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static unsafe partial bool ReadFile(SafeFileHandle file, byte* buffer, uint count, out uint read, nint overlapped);
    }
}
