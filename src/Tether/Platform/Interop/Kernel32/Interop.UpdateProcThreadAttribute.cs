using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>The value is the HPCON itself, not a pointer to it.</summary>
        internal const nuint PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE = 0x00020016;

        /// <summary>The value points at an array of inheritable handles; the only ones the child inherits.</summary>
        internal const nuint PROC_THREAD_ATTRIBUTE_HANDLE_LIST = 0x00020002;

        /// <summary>
        /// UpdateProcThreadAttribute. The list keeps <paramref name="value"/> as given, so what it
        /// points at must stay valid until CreateProcess has returned.
        /// </summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool UpdateProcThreadAttribute(
            nint attributeList,
            uint flags,
            nuint attribute,
            nint value,
            nuint size,
            nint previousValue,
            nint returnSize);
    }
}
