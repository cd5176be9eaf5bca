using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// waitid(2). <paramref name="info"/> is a zeroed native buffer larger than the
        /// platform's siginfo_t (128 bytes on Linux, 104 on macOS).
        /// </summary>
        [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
        internal static partial int WaitId(int idType, int id, nint info, int options);
    }
}
