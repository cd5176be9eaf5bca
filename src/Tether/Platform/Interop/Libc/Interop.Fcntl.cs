using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>fcntl(2) with an int argument (F_GETFL/F_SETFL/F_GETFD/F_SETFD).</summary>
        /// <remarks>
        /// fcntl is variadic; see <see cref="Ioctl"/> for why Apple arm64 needs
        /// <see cref="FcntlAppleArm64"/>.
        /// </remarks>
        [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int Fcntl(SafeHandle fd, int command, nint argument);

        /// <summary>fcntl for Apple arm64: padding fills x2–x7 so the variadic argument goes on the stack.</summary>
        [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int FcntlAppleArm64(
            SafeHandle fd, int command, nint pad2, nint pad3, nint pad4, nint pad5, nint pad6, nint pad7, nint argument);
    }
}
