using System.Runtime.InteropServices;
using Tether.Platform.Processes;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>JOBOBJECTINFOCLASS.JobObjectExtendedLimitInformation.</summary>
        internal const int JobObjectExtendedLimitInformationClass = 9;

        /// <summary>Closing the last job handle terminates every process in the job.</summary>
        internal const uint JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000;

        /// <summary>IO_COUNTERS: six ULONGLONGs, 48 bytes everywhere.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct IoCounters
        {
            internal ulong ReadOperationCount;
            internal ulong WriteOperationCount;
            internal ulong OtherOperationCount;
            internal ulong ReadTransferCount;
            internal ulong WriteTransferCount;
            internal ulong OtherTransferCount;
        }

        /// <summary>JOBOBJECT_BASIC_LIMIT_INFORMATION: 64 bytes on x64, 48 on x86.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct JobObjectBasicLimitInformation
        {
            internal long PerProcessUserTimeLimit;
            internal long PerJobUserTimeLimit;
            internal uint LimitFlags;
            internal nuint MinimumWorkingSetSize;
            internal nuint MaximumWorkingSetSize;
            internal uint ActiveProcessLimit;
            internal nuint Affinity;
            internal uint PriorityClass;
            internal uint SchedulingClass;
        }

        /// <summary>JOBOBJECT_EXTENDED_LIMIT_INFORMATION: 144 bytes on x64, 112 on x86.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct JobObjectExtendedLimitInformation
        {
            internal JobObjectBasicLimitInformation BasicLimitInformation;
            internal IoCounters IoInfo;
            internal nuint ProcessMemoryLimit;
            internal nuint JobMemoryLimit;
            internal nuint PeakProcessMemoryUsed;
            internal nuint PeakJobMemoryUsed;
        }

        /// <summary>SetInformationJobObject with <see cref="JobObjectExtendedLimitInformationClass"/>.</summary>
        [LibraryImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static partial bool SetInformationJobObject(
            SafeJobObjectHandle job,
            int informationClass,
            in JobObjectExtendedLimitInformation information,
            uint length);
    }
}
