using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>DeleteProcThreadAttributeList; the caller frees the memory afterwards.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        internal static partial void DeleteProcThreadAttributeList(nint attributeList);
    }
}
