using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>symlinkat(2): creates <paramref name="name"/> in <paramref name="dirfd"/> pointing at <paramref name="target"/> (EEXIST when the name is taken).</summary>
        [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int SymlinkAt(string target, SafeHandle dirfd, string name);
    }
}
