using Tether.Platform;

namespace Tether.Tests.Platform.Layouts;

/// <summary>
/// The Win32 constants the Windows code passes to kernel32, advapi32 and iphlpapi, pinned to the
/// numbers in the Windows SDK headers (winbase.h, processthreadsapi.h, winnt.h, winsvc.h,
/// winerror.h, ipifcons.h), so a mistyped value fails here rather than on a Windows host.
/// </summary>
public sealed class Win32ConstantsTests
{
    [Fact]
    public void ProcessCreationFlags_MatchWinbase()
    {
        Assert.Equal(0x00000004u, Interop.Kernel32.CREATE_SUSPENDED);
        Assert.Equal(0x00000400u, Interop.Kernel32.CREATE_UNICODE_ENVIRONMENT);
        Assert.Equal(0x00080000u, Interop.Kernel32.EXTENDED_STARTUPINFO_PRESENT);
        Assert.Equal(0x08000000u, Interop.Kernel32.CREATE_NO_WINDOW);
        Assert.Equal(0x00000100, Interop.Kernel32.STARTF_USESTDHANDLES);
        Assert.Equal(0x00000001u, Interop.Kernel32.HANDLE_FLAG_INHERIT);
    }

    [Fact]
    public void ProcThreadAttributes_AreProcThreadAttributeValueOfTheirNumbers()
    {
        // ProcThreadAttributeValue(Number, Thread, Input, Additive): both are input attributes
        // of the process (not the thread), not additive; PseudoConsole is number 22, HandleList 2.
        static nuint Value(int number, bool thread, bool input, bool additive) =>
            (nuint)((number & 0xFFFF) | (thread ? 0x10000 : 0) | (input ? 0x20000 : 0) | (additive ? 0x40000 : 0));

        Assert.Equal((nuint)0x00020016, Value(22, thread: false, input: true, additive: false));
        Assert.Equal((nuint)0x00020016, Interop.Kernel32.PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE);
        Assert.Equal((nuint)0x00020002, Value(2, thread: false, input: true, additive: false));
        Assert.Equal((nuint)0x00020002, Interop.Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST);
    }

    [Fact]
    public void JobObjectValues_MatchWinnt()
    {
        Assert.Equal(0x00002000u, Interop.Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE);
        Assert.Equal(9, Interop.Kernel32.JobObjectExtendedLimitInformationClass);
    }

    [Fact]
    public void Kernel32Codes_MatchWinerror()
    {
        Assert.Equal(109, Interop.Kernel32.ERROR_BROKEN_PIPE);
        Assert.Equal(259u, Interop.Kernel32.STILL_ACTIVE);
    }

    [Fact]
    public void ServiceValues_MatchWinsvc()
    {
        Assert.Equal(0x10u, Interop.Advapi32.SERVICE_WIN32_OWN_PROCESS);
        Assert.Equal(1u, Interop.Advapi32.SERVICE_STOPPED);
        Assert.Equal(2u, Interop.Advapi32.SERVICE_START_PENDING);
        Assert.Equal(3u, Interop.Advapi32.SERVICE_STOP_PENDING);
        Assert.Equal(4u, Interop.Advapi32.SERVICE_RUNNING);
        Assert.Equal(0x1u, Interop.Advapi32.SERVICE_ACCEPT_STOP);
        Assert.Equal(0x4u, Interop.Advapi32.SERVICE_ACCEPT_SHUTDOWN);
        Assert.Equal(0x1u, Interop.Advapi32.SERVICE_CONTROL_STOP);
        Assert.Equal(0x4u, Interop.Advapi32.SERVICE_CONTROL_INTERROGATE);
        Assert.Equal(0x5u, Interop.Advapi32.SERVICE_CONTROL_SHUTDOWN);
        Assert.Equal(0u, Interop.Advapi32.NO_ERROR);
        Assert.Equal(120u, Interop.Advapi32.ERROR_CALL_NOT_IMPLEMENTED);
        Assert.Equal(1066u, Interop.Advapi32.ERROR_SERVICE_SPECIFIC_ERROR);
        Assert.Equal(1063, Interop.Advapi32.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT);
    }

    [Fact]
    public void InterfaceValues_MatchIpifconsAndNetioapi()
    {
        Assert.Equal(24u, Interop.IpHlpApi.IF_TYPE_SOFTWARE_LOOPBACK);

        // InterfaceAndOperStatusFlags: HardwareInterface is bit 0, FilterInterface bit 1.
        Assert.Equal((byte)0x02, Interop.IpHlpApi.IfFlagFilterInterface);
    }
}
