using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class IpHlpApi
    {
        /// <summary>FreeMibTable: releases a table that GetIfTable2 (or another *Table2 call) allocated.</summary>
        [LibraryImport("iphlpapi.dll", EntryPoint = "FreeMibTable", SetLastError = true)]
        [SupportedOSPlatform("windows")]
        internal static unsafe partial void FreeMibTable(void* memory);
    }
}
