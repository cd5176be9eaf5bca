using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>readlinkat(2): the bytes of the link's target (not NUL-terminated), or -1.</summary>
        [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial nint ReadLinkAt(SafeHandle dirfd, string name, byte* buffer, nuint size);
    }
}
