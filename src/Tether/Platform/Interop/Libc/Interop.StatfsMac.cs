using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// macOS <c>struct statfs</c> in its 64-bit-inode form (sys/mount.h, 2168 bytes): 64-bit
        /// block counts in units of <c>f_bsize</c>. Chosen over macOS <c>statvfs</c>, whose
        /// <c>fsblkcnt_t</c> is a 32-bit unsigned int. Only the head is named.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct MacStatfs
        {
            internal uint f_bsize;
            internal int f_iosize;
            internal ulong f_blocks;
            internal ulong f_bfree;
            internal ulong f_bavail;
            internal ulong f_files;
            internal ulong f_ffree;
            internal fixed int f_fsid[2];
            internal uint f_owner;
            internal uint f_type;
            internal uint f_flags;
            internal uint f_fssubtype;
            internal fixed byte f_fstypename[16];
            internal fixed byte f_mntonname[1024];
            internal fixed byte f_mntfromname[1024];
            internal uint f_flags_ext;
            private fixed uint _reserved[7];
        }

        /// <summary>
        /// statfs(2) with the struct above. On x86_64 the plain <c>statfs</c> symbol still
        /// returns the legacy 32-bit-inode struct (another layout); <c>statfs$INODE64</c> is the
        /// one the SDK's headers bind. arm64 only has the 64-bit-inode form, under the plain name.
        /// </summary>
        [SupportedOSPlatform("macos")]
        internal static int StatfsMac(string path, out MacStatfs buf) =>
            RuntimeInformation.ProcessArchitecture == Architecture.X64 ? StatfsInode64Native(path, out buf) : StatfsNative(path, out buf);

        [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int StatfsNative(string path, out MacStatfs buf);

        [LibraryImport("libc", EntryPoint = "statfs$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int StatfsInode64Native(string path, out MacStatfs buf);
    }
}
