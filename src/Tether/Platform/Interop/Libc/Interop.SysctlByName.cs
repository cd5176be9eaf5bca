using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// macOS <c>struct timeval</c> as <c>kern.boottime</c> returns it: <c>time_t</c> is
        /// <c>long</c>, <c>suseconds_t</c> is a 32-bit int (16 bytes with padding on 64-bit).
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct MacTimeval
        {
            internal nint tv_sec;
            internal int tv_usec;
        }

        /// <summary>sysctlbyname(3) (macOS/BSD): reads <paramref name="name"/> into <paramref name="value"/>; <paramref name="length"/> in and out.</summary>
        [LibraryImport("libc", EntryPoint = "sysctlbyname", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        [SupportedOSPlatform("macos")]
        internal static unsafe partial int SysctlByName(string name, void* value, nuint* length, void* newValue, nuint newLength);
    }
}
