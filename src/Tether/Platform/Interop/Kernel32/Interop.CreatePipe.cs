using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>SECURITY_ATTRIBUTES: 24 bytes on x64, 12 on x86.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct SecurityAttributes
        {
            internal int nLength;
            internal nint lpSecurityDescriptor;
            internal int bInheritHandle;
        }

        /// <summary>
        /// CreatePipe: an anonymous pipe (synchronous handles). With
        /// <see cref="SecurityAttributes.bInheritHandle"/> 0 neither end is inheritable.
        /// </summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool CreatePipe(
            out SafeFileHandle readPipe,
            out SafeFileHandle writePipe,
            in SecurityAttributes pipeAttributes,
            uint size);
    }
}
