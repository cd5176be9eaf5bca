using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>unlinkat(2): removes the entry <paramref name="name"/> of <paramref name="dirfd"/> (a symlink itself, never its target).</summary>
        [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int TreeUnlinkAt(SafeHandle dirfd, string name, int flags);
    }
}
