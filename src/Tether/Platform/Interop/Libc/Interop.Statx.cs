using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const uint StatxBasicStats = 0x7ff;

        /// <summary>AT_EMPTY_PATH: statx/fchownat act on the descriptor itself (Linux).</summary>
        internal const int AtEmptyPath = 0x1000;

        /// <summary>One timestamp of <c>struct statx</c>: the same 16 bytes on every Linux ABI.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct StatxTimestamp
        {
            internal long tv_sec;
            internal uint tv_nsec;
            private int _reserved;
        }

        /// <summary>
        /// <c>struct statx</c> (Linux 4.11+, glibc 2.28+): fixed-width fields, so one layout
        /// serves 32- and 64-bit processes. The tail after <c>stx_dev_minor</c> is reserved as bytes.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct Statx
        {
            internal uint stx_mask;
            internal uint stx_blksize;
            internal ulong stx_attributes;
            internal uint stx_nlink;
            internal uint stx_uid;
            internal uint stx_gid;
            internal ushort stx_mode;
            private ushort _spare0;
            internal ulong stx_ino;
            internal ulong stx_size;
            internal ulong stx_blocks;
            internal ulong stx_attributes_mask;
            internal StatxTimestamp stx_atime;
            internal StatxTimestamp stx_btime;
            internal StatxTimestamp stx_ctime;
            internal StatxTimestamp stx_mtime;
            internal uint stx_rdev_major;
            internal uint stx_rdev_minor;
            internal uint stx_dev_major;
            internal uint stx_dev_minor;
            private fixed byte _tail[144];
        }

        /// <summary>statx(2): Linux only; the wrapper needs glibc 2.28+ or musl 1.2.5+ (see UnixFileSystem.TryLstat's fallback).</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int StatxNative(int dirfd, string path, int flags, uint mask, out Statx buf);

        /// <summary>statx(2) relative to an open folder, or of the descriptor itself with <see cref="AtEmptyPath"/> and an empty path.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int StatxNative(SafeHandle dirfd, string path, int flags, uint mask, out Statx buf);
    }
}
