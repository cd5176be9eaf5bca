using Tether.Platform;
using Tether.Platform.ServiceHost;

namespace Tether.Tests.Platform.ServiceHost;

public sealed class WindowsServiceControlsTests
{
    [Theory]
    [InlineData(0x1u, "Stop")] // SERVICE_CONTROL_STOP
    [InlineData(0x5u, "Stop")] // SERVICE_CONTROL_SHUTDOWN
    [InlineData(0x4u, "Interrogate")] // SERVICE_CONTROL_INTERROGATE
    [InlineData(0x2u, "NotImplemented")] // PAUSE: never accepted
    [InlineData(0x3u, "NotImplemented")] // CONTINUE
    [InlineData(0xFu, "NotImplemented")] // PRESHUTDOWN: not registered for
    [InlineData(0x80u, "NotImplemented")] // user-defined range
    public void ActionFor_MapsStopAndShutdownToStop_AndNothingElse(uint control, string expected)
    {
        // Names, not the enum: an internal type cannot appear in a public test method's signature.
        Assert.Equal(Enum.Parse<WindowsServiceAction>(expected), WindowsServiceControls.ActionFor(control));
    }

    [Theory]
    [InlineData("Stop", 0u)]
    [InlineData("Interrogate", 0u)]
    [InlineData("NotImplemented", 120u)] // ERROR_CALL_NOT_IMPLEMENTED
    public void HandlerResult_IsNoErrorForHandledControls(string action, uint expected)
    {
        Assert.Equal(expected, WindowsServiceControls.HandlerResult(Enum.Parse<WindowsServiceAction>(action)));
    }

    [Fact]
    public void Running_AcceptsStopAndShutdownOnly()
    {
        var status = WindowsServiceStatuses.Running();

        Assert.Equal(Interop.Advapi32.SERVICE_WIN32_OWN_PROCESS, status.dwServiceType);
        Assert.Equal(Interop.Advapi32.SERVICE_RUNNING, status.dwCurrentState);
        Assert.Equal(Interop.Advapi32.SERVICE_ACCEPT_STOP | Interop.Advapi32.SERVICE_ACCEPT_SHUTDOWN, status.dwControlsAccepted);
        Assert.Equal(0u, status.dwWaitHint);
    }

    [Fact]
    public void StopPending_AcceptsNothing_AndHintsAtLeastTheFiveSecondShutdown()
    {
        var status = WindowsServiceStatuses.StopPending(checkPoint: 1);

        Assert.Equal(Interop.Advapi32.SERVICE_STOP_PENDING, status.dwCurrentState);
        Assert.Equal(0u, status.dwControlsAccepted);
        Assert.Equal(1u, status.dwCheckPoint);
        Assert.True(status.dwWaitHint >= 5000, $"wait hint {status.dwWaitHint} ms");
    }

    [Fact]
    public void Stopped_ExitZero_IsNoError()
    {
        var status = WindowsServiceStatuses.Stopped(0);

        Assert.Equal(Interop.Advapi32.SERVICE_STOPPED, status.dwCurrentState);
        Assert.Equal(0u, status.dwWin32ExitCode);
        Assert.Equal(0u, status.dwServiceSpecificExitCode);
        Assert.Equal(0u, status.dwControlsAccepted);
    }

    [Fact]
    public void Stopped_ConfigError_TravelsAsServiceSpecificExitCode()
    {
        var status = WindowsServiceStatuses.Stopped(2);

        Assert.Equal(1066u, status.dwWin32ExitCode); // ERROR_SERVICE_SPECIFIC_ERROR
        Assert.Equal(2u, status.dwServiceSpecificExitCode);
    }
}
