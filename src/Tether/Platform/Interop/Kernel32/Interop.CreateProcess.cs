using System.Runtime.InteropServices;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        internal const uint CREATE_SUSPENDED = 0x00000004;
        internal const uint CREATE_UNICODE_ENVIRONMENT = 0x00000400;
        internal const uint EXTENDED_STARTUPINFO_PRESENT = 0x00080000;
        internal const uint CREATE_NO_WINDOW = 0x08000000;
        internal const int STARTF_USESTDHANDLES = 0x00000100;

        /// <summary>STARTUPINFOW: 104 bytes on x64, 68 on x86.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct StartupInfo
        {
            internal int cb;
            internal nint lpReserved;
            internal nint lpDesktop;
            internal nint lpTitle;
            internal int dwX;
            internal int dwY;
            internal int dwXSize;
            internal int dwYSize;
            internal int dwXCountChars;
            internal int dwYCountChars;
            internal int dwFillAttribute;
            internal int dwFlags;
            internal short wShowWindow;
            internal short cbReserved2;
            internal nint lpReserved2;
            internal nint hStdInput;
            internal nint hStdOutput;
            internal nint hStdError;
        }

        /// <summary>STARTUPINFOEXW: 112 bytes on x64, 72 on x86.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct StartupInfoEx
        {
            internal StartupInfo StartupInfo;
            internal nint lpAttributeList;
        }

        /// <summary>PROCESS_INFORMATION: 24 bytes on x64, 16 on x86. The caller owns both handles.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct ProcessInformation
        {
            internal nint hProcess;
            internal nint hThread;
            internal int dwProcessId;
            internal int dwThreadId;
        }

        /// <summary>
        /// CreateProcessW. <paramref name="commandLine"/> must be writable and NUL-terminated;
        /// <paramref name="environment"/> is a UTF-16 block (<see cref="CREATE_UNICODE_ENVIRONMENT"/>);
        /// <paramref name="startupInfo"/> is a <see cref="StartupInfoEx"/> when
        /// <see cref="EXTENDED_STARTUPINFO_PRESENT"/> is set.
        /// </summary>
        [LibraryImport("kernel32.dll", EntryPoint = "CreateProcessW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static unsafe partial bool CreateProcess(
            string? applicationName,
            char* commandLine,
            nint processAttributes,
            nint threadAttributes,
            [MarshalAs(UnmanagedType.Bool)] bool inheritHandles,
            uint creationFlags,
            char* environment,
            string? currentDirectory,
            StartupInfoEx* startupInfo,
            out ProcessInformation processInformation);
    }
}
