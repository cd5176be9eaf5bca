using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>QueryFullProcessImageNameW with flags 0 (a Win32 path); <paramref name="size"/> is in characters, in and out.</summary>
        [LibraryImport("kernel32.dll", EntryPoint = "QueryFullProcessImageNameW", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static unsafe partial bool QueryFullProcessImageName(SafeProcessHandle process, uint flags, char* name, ref uint size);
    }
}
