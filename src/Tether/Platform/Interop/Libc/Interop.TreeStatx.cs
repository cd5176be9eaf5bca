using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>statx(2) on an open handle (with <c>AT_EMPTY_PATH</c> and an empty path): owner, type and links of what was opened.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int TreeStatx(SafeHandle dirfd, string path, int flags, uint mask, out Statx buf);
    }
}
