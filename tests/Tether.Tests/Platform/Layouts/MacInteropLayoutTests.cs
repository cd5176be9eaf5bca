using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tether.Platform;

namespace Tether.Tests.Platform.Layouts;

/// <summary>
/// The macOS structs against the offsets of Apple's headers (macOS is 64-bit only, so one set
/// of numbers). Nothing here can call a Mac; the layouts are what can be checked.
/// </summary>
public sealed class MacInteropLayoutTests
{
    [Fact]
    public void HostCpuLoadInfo_IsFourNaturalT()
    {
        Assert.Equal(16, Unsafe.SizeOf<Interop.Mach.HostCpuLoadInfo>());
        Assert.Equal(8, Offset<Interop.Mach.HostCpuLoadInfo>(nameof(Interop.Mach.HostCpuLoadInfo.Idle)));
    }

    [Fact]
    public void VmStatistics64_MatchesMachHeader()
    {
        Assert.Equal(152, Unsafe.SizeOf<Interop.Mach.VmStatistics64>());
        Assert.Equal(0, Offset<Interop.Mach.VmStatistics64>(nameof(Interop.Mach.VmStatistics64.FreeCount)));
        Assert.Equal(8, Offset<Interop.Mach.VmStatistics64>(nameof(Interop.Mach.VmStatistics64.InactiveCount)));
        Assert.Equal(16, Offset<Interop.Mach.VmStatistics64>(nameof(Interop.Mach.VmStatistics64.ZeroFillCount)));
        Assert.Equal(88, Offset<Interop.Mach.VmStatistics64>(nameof(Interop.Mach.VmStatistics64.PurgeableCount)));
        Assert.Equal(92, Offset<Interop.Mach.VmStatistics64>(nameof(Interop.Mach.VmStatistics64.SpeculativeCount)));
        Assert.Equal(128, Offset<Interop.Mach.VmStatistics64>(nameof(Interop.Mach.VmStatistics64.CompressorPageCount)));
        Assert.Equal(144, Offset<Interop.Mach.VmStatistics64>(nameof(Interop.Mach.VmStatistics64.TotalUncompressedPagesInCompressor)));
    }

    [Fact]
    public void IfData64_MatchesPack4Header()
    {
        Assert.Equal(128, Unsafe.SizeOf<Interop.Libc.IfData64>());
        Assert.Equal(16, Offset<Interop.Libc.IfData64>(nameof(Interop.Libc.IfData64.ifi_baudrate)));
        Assert.Equal(64, Offset<Interop.Libc.IfData64>(nameof(Interop.Libc.IfData64.ifi_ibytes)));
        Assert.Equal(72, Offset<Interop.Libc.IfData64>(nameof(Interop.Libc.IfData64.ifi_obytes)));
        Assert.Equal(120, Offset<Interop.Libc.IfData64>(nameof(Interop.Libc.IfData64.ifi_lastchange)));
    }

    [Fact]
    public void IfMsgHdr2_MatchesNetIfHeader()
    {
        Assert.Equal(160, Unsafe.SizeOf<Interop.Libc.IfMsgHdr2>());
        Assert.Equal(3, Offset<Interop.Libc.IfMsgHdr2>(nameof(Interop.Libc.IfMsgHdr2.ifm_type)));
        Assert.Equal(8, Offset<Interop.Libc.IfMsgHdr2>(nameof(Interop.Libc.IfMsgHdr2.ifm_flags)));
        Assert.Equal(12, Offset<Interop.Libc.IfMsgHdr2>(nameof(Interop.Libc.IfMsgHdr2.ifm_index)));
        Assert.Equal(16, Offset<Interop.Libc.IfMsgHdr2>(nameof(Interop.Libc.IfMsgHdr2.ifm_snd_len)));
        Assert.Equal(32, Offset<Interop.Libc.IfMsgHdr2>(nameof(Interop.Libc.IfMsgHdr2.ifm_data)));
    }

    [Fact]
    public void MacStatfs_Is64BitInodeStatfs()
    {
        Assert.Equal(2168, Unsafe.SizeOf<Interop.Libc.MacStatfs>());
        Assert.Equal(8, Offset<Interop.Libc.MacStatfs>(nameof(Interop.Libc.MacStatfs.f_blocks)));
        Assert.Equal(16, Offset<Interop.Libc.MacStatfs>(nameof(Interop.Libc.MacStatfs.f_bfree)));
        Assert.Equal(24, Offset<Interop.Libc.MacStatfs>(nameof(Interop.Libc.MacStatfs.f_bavail)));
        Assert.Equal(48, Offset<Interop.Libc.MacStatfs>(nameof(Interop.Libc.MacStatfs.f_fsid)));
        Assert.Equal(68, Offset<Interop.Libc.MacStatfs>(nameof(Interop.Libc.MacStatfs.f_fssubtype)));
        Assert.Equal(72 + 16 + 1024 + 1024, Offset<Interop.Libc.MacStatfs>(nameof(Interop.Libc.MacStatfs.f_flags_ext)));
    }

    [Fact]
    public void MacTimeval_IsLongThenInt32()
    {
        Assert.Equal(2 * IntPtr.Size, Unsafe.SizeOf<Interop.Libc.MacTimeval>());
        Assert.Equal(IntPtr.Size, Offset<Interop.Libc.MacTimeval>(nameof(Interop.Libc.MacTimeval.tv_usec)));
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);
}
