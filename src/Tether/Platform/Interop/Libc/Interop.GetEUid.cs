using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>geteuid(2): never fails.</summary>
        [SupportedOSPlatform("linux")]
        [SupportedOSPlatform("macos")]
        [LibraryImport("libc", EntryPoint = "geteuid")]
        internal static partial uint GetEUid();
    }
}
