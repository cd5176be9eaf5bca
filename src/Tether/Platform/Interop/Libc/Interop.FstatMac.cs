using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>fstat(2) on macOS (see <see cref="FstatAtMac"/> for the symbol names).</summary>
        [SupportedOSPlatform("macos")]
        internal static int FstatMac(SafeHandle fd, out StatMac buf) =>
            RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? FstatMacArm64(fd, out buf) : FstatMacX64(fd, out buf);

        [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static partial int FstatMacArm64(SafeHandle fd, out StatMac buf);

        [LibraryImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static partial int FstatMacX64(SafeHandle fd, out StatMac buf);
    }
}
