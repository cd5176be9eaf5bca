using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// Head of Linux <c>struct statfs</c>: <c>f_type</c> comes first and is register-sized
        /// (<c>__fsword_t</c>: long on 64-bit, int on 32-bit ARM); the rest is reserved as bytes,
        /// more than any libc writes.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct StatFsHead
        {
            internal nint f_type;
            private fixed byte _tail[256];
        }

        /// <summary>fstatfs(2) (Linux).</summary>
        [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
        internal static partial int Fstatfs(SafeHandle fd, out StatFsHead buf);
    }
}
