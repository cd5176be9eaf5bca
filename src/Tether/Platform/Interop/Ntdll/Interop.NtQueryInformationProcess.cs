using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Ntdll
    {
        /// <summary>PROCESSINFOCLASS ProcessBasicInformation.</summary>
        internal const int ProcessBasicInformation = 0;

        /// <summary>PROCESS_BASIC_INFORMATION (winternl.h), x64 layout.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PROCESS_BASIC_INFORMATION
        {
            internal nint ExitStatus;
            internal nint PebBaseAddress;
            internal nint AffinityMask;
            internal nint BasePriority;
            internal nint UniqueProcessId;
            internal nint InheritedFromUniqueProcessId;
        }

        /// <summary>NtQueryInformationProcess: returns an NTSTATUS, 0 on success.</summary>
        [LibraryImport("ntdll.dll")]
        internal static partial int NtQueryInformationProcess(SafeProcessHandle process, int informationClass, out PROCESS_BASIC_INFORMATION information, int length, out int returnLength);
    }
}
