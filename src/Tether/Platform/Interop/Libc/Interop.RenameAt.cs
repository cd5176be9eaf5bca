using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>renameat(2): atomically replaces the entry <paramref name="newName"/> (a file or a symlink, never followed).</summary>
        [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int RenameAt(SafeHandle oldDirfd, string oldName, SafeHandle newDirfd, string newName);
    }
}
