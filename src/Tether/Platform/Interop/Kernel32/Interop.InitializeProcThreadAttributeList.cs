using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>
        /// InitializeProcThreadAttributeList. Called first with a null list to learn the size
        /// (fails with ERROR_INSUFFICIENT_BUFFER), then with a buffer of that size.
        /// </summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool InitializeProcThreadAttributeList(nint attributeList, int attributeCount, int flags, ref nuint size);
    }
}
