using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>mkdirat(2): creates the folder <paramref name="name"/> inside <paramref name="dirfd"/>.</summary>
        [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int TreeMkdirAt(SafeHandle dirfd, string name, uint mode);
    }
}
