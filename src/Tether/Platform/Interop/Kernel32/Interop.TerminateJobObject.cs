using System.Runtime.InteropServices;
using Tether.Platform.Processes;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>TerminateJobObject: ends every process in the job with <paramref name="exitCode"/>.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool TerminateJobObject(SafeJobObjectHandle job, uint exitCode);
    }
}
