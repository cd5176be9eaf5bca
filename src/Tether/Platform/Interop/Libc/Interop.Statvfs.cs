using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// Head of <c>struct statvfs64</c> (glibc) / <c>struct statvfs</c> (musl): the same layout on
        /// every Linux ABI once the block counts are 64-bit. <c>unsigned long</c> fields are
        /// <see cref="nuint"/> so 32-bit ARM lines up; the tail we never read is reserved as bytes
        /// (more than any libc writes) instead of being spelt out.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct StatVfs
        {
            internal nuint f_bsize;
            internal nuint f_frsize;
            internal ulong f_blocks;
            internal ulong f_bfree;
            internal ulong f_bavail;
            internal ulong f_files;
            internal ulong f_ffree;
            internal ulong f_favail;
            private fixed byte _tail[128];
        }

        /// <summary>
        /// statvfs(3) with 64-bit block counts. 32-bit glibc's plain <c>statvfs</c> has 32-bit
        /// <c>fsblkcnt_t</c> (EOVERFLOW past 16 TiB, and a different layout), so there we bind
        /// <c>statvfs64</c>; 64-bit libcs only need <c>statvfs</c>, which musl &gt;= 1.2.4 still
        /// exports while it dropped the *64 names from its headers.
        /// </summary>
        internal static int StatVfs64(string path, out StatVfs buf) =>
            Environment.Is64BitProcess ? StatVfsNative(path, out buf) : StatVfs64Native(path, out buf);

        [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int StatVfsNative(string path, out StatVfs buf);

        [LibraryImport("libc", EntryPoint = "statvfs64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int StatVfs64Native(string path, out StatVfs buf);
    }
}
