using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        internal const uint HANDLE_FLAG_INHERIT = 0x00000001;

        /// <summary>SetHandleInformation: here only to make a child's pipe end inheritable.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool SetHandleInformation(SafeHandle handle, uint mask, uint flags);
    }
}
