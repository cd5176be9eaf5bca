using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>fchownat(2); with AT_SYMLINK_NOFOLLOW it sets a link's own owner, with AT_EMPTY_PATH (Linux) the owner of what <paramref name="dirfd"/> refers to.</summary>
        [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int FchownAt(SafeHandle dirfd, string name, uint uid, uint gid, int flags);
    }
}
