using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary><c>struct winsize</c>: four unsigned shorts on Linux and macOS.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct WinSize
        {
            internal ushort Rows;
            internal ushort Columns;
            internal ushort XPixels;
            internal ushort YPixels;
        }

        /// <summary>ioctl(2) with a <c>struct winsize*</c> argument (TIOCSWINSZ).</summary>
        /// <remarks>
        /// ioctl is variadic. On x64 and Linux arm64 a variadic pointer travels like a fixed
        /// one, so this declaration is exact; Apple arm64 passes variadic arguments on the
        /// stack, which <see cref="IoctlAppleArm64"/> handles.
        /// </remarks>
        [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        internal static unsafe partial int Ioctl(SafeHandle fd, nuint request, WinSize* size);

        /// <summary>
        /// The same ioctl for Apple arm64, where variadic arguments go on the stack: the six
        /// padding arguments fill x2–x7 so <paramref name="size"/> lands in the first stack slot.
        /// </summary>
        [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        internal static unsafe partial int IoctlAppleArm64(
            SafeHandle fd, nuint request, nint pad2, nint pad3, nint pad4, nint pad5, nint pad6, nint pad7, WinSize* size);
    }
}
