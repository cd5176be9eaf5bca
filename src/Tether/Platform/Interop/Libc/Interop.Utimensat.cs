using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// <c>struct timespec</c>: <c>time_t</c> and <c>long</c>, both the pointer width on the
        /// classic Linux ABIs (32-bit time_t on 32-bit glibc without _TIME_BITS=64).
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Timespec
        {
            internal nint tv_sec;
            internal nint tv_nsec;
        }

        /// <summary>utimensat(2); <paramref name="times"/> points at two timespecs (atime, mtime).</summary>
        [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int Utimensat(int dirfd, string path, Timespec* times, int flags);

        /// <summary>utimensat(2) relative to an open folder.</summary>
        [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int Utimensat(SafeHandle dirfd, string path, Timespec* times, int flags);
    }
}
