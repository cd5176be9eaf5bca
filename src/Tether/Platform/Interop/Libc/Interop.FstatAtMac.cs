using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>macOS <c>struct stat</c> with 64-bit inodes (<c>_DARWIN_FEATURE_64_BIT_INODE</c>, the only one on arm64): 144 bytes.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct StatMac
        {
            internal int st_dev;
            internal ushort st_mode;
            internal ushort st_nlink;
            internal ulong st_ino;
            internal uint st_uid;
            internal uint st_gid;
            internal int st_rdev;
            internal Timespec st_atimespec;
            internal Timespec st_mtimespec;
            internal Timespec st_ctimespec;
            internal Timespec st_birthtimespec;
            internal long st_size;
            internal long st_blocks;
            internal int st_blksize;
            internal uint st_flags;
            internal uint st_gen;
            internal int st_lspare;
            private fixed long _qspare[2];
        }

        /// <summary>fstatat(2) on macOS: arm64 has only the 64-bit-inode symbol; x64 names it <c>fstatat$INODE64</c>.</summary>
        [SupportedOSPlatform("macos")]
        internal static int FstatAtMac(SafeHandle dirfd, string name, out StatMac buf, int flags) =>
            RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? FstatAtMacArm64(dirfd, name, out buf, flags) : FstatAtMacX64(dirfd, name, out buf, flags);

        [LibraryImport("libc", EntryPoint = "fstatat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int FstatAtMacArm64(SafeHandle dirfd, string name, out StatMac buf, int flags);

        [LibraryImport("libc", EntryPoint = "fstatat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static partial int FstatAtMacX64(SafeHandle dirfd, string name, out StatMac buf, int flags);
    }
}
