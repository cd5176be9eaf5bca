using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tether.Platform;
using Tether.Platform.Common;

namespace Tether.Tests.Platform.Layouts;

/// <summary>
/// Layouts of the Linux/Unix structs. Each expectation is written over <see cref="IntPtr.Size"/>
/// so the same test states the 32-bit ARM (armhf) figure: <c>long</c> and pointers are 4 bytes
/// there, <c>long long</c> stays 8-aligned (AAPCS), and the plain (non-*64, non-time64) symbols
/// take a 32-bit time_t.
/// </summary>
public sealed class LibcLayoutTests
{
    private static readonly int Long = IntPtr.Size;

    [Fact]
    public void StatVfs_HasUnsignedLongSizesThen64BitCounts()
    {
        // glibc statvfs64: x64 blocks at 16, armhf at 8.
        Assert.Equal(2 * Long, Offset<Interop.Libc.StatVfs>(nameof(Interop.Libc.StatVfs.f_blocks)));
        Assert.Equal(2 * Long + 16, Offset<Interop.Libc.StatVfs>(nameof(Interop.Libc.StatVfs.f_bavail)));
        Assert.Equal(2 * Long + 40, Offset<Interop.Libc.StatVfs>(nameof(Interop.Libc.StatVfs.f_favail)));

        // statvfs64 is 112 bytes on x64 and 96 on armhf; the buffer must hold either.
        Assert.True(Unsafe.SizeOf<Interop.Libc.StatVfs>() >= (Long == 8 ? 112 : 96));
    }

    [Fact]
    public void Statx_IsTheSameOnEveryAbi()
    {
        Assert.Equal(16, Unsafe.SizeOf<Interop.Libc.StatxTimestamp>());
        Assert.Equal(8, Offset<Interop.Libc.StatxTimestamp>(nameof(Interop.Libc.StatxTimestamp.tv_nsec)));
        Assert.Equal(0x1c, Offset<Interop.Libc.Statx>(nameof(Interop.Libc.Statx.stx_mode)));
        Assert.Equal(0x20, Offset<Interop.Libc.Statx>(nameof(Interop.Libc.Statx.stx_ino)));
        Assert.Equal(0x28, Offset<Interop.Libc.Statx>(nameof(Interop.Libc.Statx.stx_size)));
        Assert.Equal(0x70, Offset<Interop.Libc.Statx>(nameof(Interop.Libc.Statx.stx_mtime)));

        // struct statx is 0x100 bytes.
        Assert.True(Unsafe.SizeOf<Interop.Libc.Statx>() >= 0x100);
    }

    [Fact]
    public void Timespec_IsTwoLongs_32BitTimeTOnArmhfPlainSymbols()
    {
        Assert.Equal(2 * Long, Unsafe.SizeOf<Interop.Libc.Timespec>());
        Assert.Equal(Long, Offset<Interop.Libc.Timespec>(nameof(Interop.Libc.Timespec.tv_nsec)));
    }

    [Fact]
    public void WinSize_IsFourUnsignedShorts()
    {
        Assert.Equal(8, Unsafe.SizeOf<Interop.Libc.WinSize>());
        Assert.Equal(2, Offset<Interop.Libc.WinSize>(nameof(Interop.Libc.WinSize.Columns)));
    }

    [Fact]
    public void PollFd_IsIntShortShort()
    {
        Assert.Equal(8, Unsafe.SizeOf<Interop.Libc.PollFd>());
        Assert.Equal(4, Offset<Interop.Libc.PollFd>(nameof(Interop.Libc.PollFd.Events)));
        Assert.Equal(6, Offset<Interop.Libc.PollFd>(nameof(Interop.Libc.PollFd.ReturnedEvents)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void ONoFollow_IsTheArchitecturesValue()
    {
        // asm-generic 0400000; arm and arm64 0100000 (there 0400000 is O_LARGEFILE).
        int expected = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 ? 0x8000 : 0x20000;
        Assert.Equal(expected, UnixPlatform.CreateLinux().ONoFollow);
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);
}
