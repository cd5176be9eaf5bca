using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Processes;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>AssignProcessToJobObject; the process's later children are in the job too.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool AssignProcessToJobObject(SafeJobObjectHandle job, SafeProcessHandle process);
    }
}
