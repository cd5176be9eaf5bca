using System.Runtime.InteropServices;
using Tether.Platform.Processes;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>CreateJobObjectW, unnamed, default security; the handle is not inheritable.</summary>
        [LibraryImport("kernel32.dll", EntryPoint = "CreateJobObjectW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial SafeJobObjectHandle CreateJobObject(nint jobAttributes, string? name);
    }
}
