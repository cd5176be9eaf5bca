using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tether.Platform;

namespace Tether.Tests.Platform.Layouts;

/// <summary>The advapi32 structs of the service host, pinned to winsvc.h.</summary>
public sealed class WindowsServiceInteropLayoutTests
{
    [Fact]
    public void ServiceStatus_IsSevenDwords()
    {
        Assert.Equal(28, Unsafe.SizeOf<Interop.Advapi32.SERVICE_STATUS>());
        Assert.Equal(16, FieldOffset.Of(default(Interop.Advapi32.SERVICE_STATUS), static (ref s) => ref s.dwServiceSpecificExitCode));
        Assert.Equal(24, FieldOffset.Of(default(Interop.Advapi32.SERVICE_STATUS), static (ref s) => ref s.dwWaitHint));
    }

    [Fact]
    public void ServiceTableEntry_IsTwoPointers()
    {
        // 16 bytes on 64-bit Windows, 8 on 32-bit.
        Assert.Equal(2 * IntPtr.Size, Unsafe.SizeOf<Interop.Advapi32.SERVICE_TABLE_ENTRYW>());
        // Pointer-typed fields cannot be type arguments, so the marshaller's view of this blittable struct is used.
        Assert.Equal(IntPtr.Size, (int)Marshal.OffsetOf<Interop.Advapi32.SERVICE_TABLE_ENTRYW>("lpServiceProc"));
    }
}
