using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>renameat(2): renames within or between folders given as handles, replacing the target in one step.</summary>
        [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int TreeRenameAt(SafeHandle oldDirfd, string oldName, SafeHandle newDirfd, string newName);
    }
}
