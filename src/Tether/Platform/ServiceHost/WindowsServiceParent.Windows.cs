using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.ServiceHost;

/// <summary>Whether this process was started by the Service Control Manager (services.exe).</summary>
/// <remarks>
/// StartServiceCtrlDispatcherW called from a console does fail with
/// ERROR_FAILED_SERVICE_CONTROLLER_CONNECT, but only after waiting for the SCM's pipe (10.5 s
/// under Wine). The SCM starts every service process itself, so a parent that is known and is
/// not services.exe answers at once. When the parent cannot be read (it exited, or access is
/// denied) the answer is <see cref="WindowsServiceParentKind.Unknown"/> and the dispatcher decides.
/// </remarks>
[SupportedOSPlatform("windows")]
internal static class WindowsServiceParent
{
    private const string ServiceControlManagerImage = "services.exe";

    /// <summary>ERROR_INVALID_PARAMETER: OpenProcess's answer for a process id that names no process.</summary>
    private const int ErrorInvalidParameter = 87;

    public static unsafe WindowsServiceParentKind Classify()
    {
        using var self = new SafeProcessHandle(-1, ownsHandle: false); // GetCurrentProcess()'s pseudo handle
        if (Interop.Ntdll.NtQueryInformationProcess(self, Interop.Ntdll.ProcessBasicInformation, out var info, sizeof(Interop.Ntdll.PROCESS_BASIC_INFORMATION), out _) != 0)
        {
            return WindowsServiceParentKind.Unknown;
        }

        // services.exe lives as long as the system: a parent that is gone (or none, as for a
        // program Wine starts from a Linux shell) is not the SCM.
        if (info.InheritedFromUniqueProcessId <= 0)
        {
            return WindowsServiceParentKind.Other;
        }

        using SafeProcessHandle parent = Interop.Kernel32.OpenProcess(Interop.Kernel32.PROCESS_QUERY_LIMITED_INFORMATION, false, (uint)info.InheritedFromUniqueProcessId);
        if (parent.IsInvalid)
        {
            return Marshal.GetLastPInvokeError() == ErrorInvalidParameter ? WindowsServiceParentKind.Other : WindowsServiceParentKind.Unknown;
        }

        const int Capacity = 1024;
        char* buffer = stackalloc char[Capacity];
        uint size = Capacity;
        return Interop.Kernel32.QueryFullProcessImageName(parent, 0, buffer, ref size)
            ? Classify(new string(buffer, 0, (int)size))
            : WindowsServiceParentKind.Unknown;
    }

    /// <summary>The decision on the parent's image path.</summary>
    public static WindowsServiceParentKind Classify(string parentImagePath) =>
        string.Equals(parentImagePath.Split('\\', '/')[^1], ServiceControlManagerImage, StringComparison.OrdinalIgnoreCase)
            ? WindowsServiceParentKind.ServiceControlManager
            : WindowsServiceParentKind.Other;
}

/// <summary>What <see cref="WindowsServiceParent.Classify()"/> found.</summary>
internal enum WindowsServiceParentKind
{
    /// <summary>The parent could not be read: let StartServiceCtrlDispatcherW decide.</summary>
    Unknown,

    /// <summary>Started by services.exe.</summary>
    ServiceControlManager,

    /// <summary>Started by something else (a console, a script): not a service.</summary>
    Other,
}
