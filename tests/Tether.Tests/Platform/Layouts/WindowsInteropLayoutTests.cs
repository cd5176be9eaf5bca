using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tether.Platform;

namespace Tether.Tests.Platform.Layouts;

/// <summary>
/// The Win32 structs are declared by hand; these pin their sizes and offsets to the Windows SDK
/// headers so a reordered or retyped field fails here, not on a Windows host.
/// </summary>
public sealed class WindowsInteropLayoutTests
{
    [Fact]
    public void FileTime_IsTwoDwords()
    {
        Assert.Equal(8, Unsafe.SizeOf<Interop.Kernel32.FILETIME>());
        Assert.Equal(4, FieldOffset.Of(default(Interop.Kernel32.FILETIME), static (ref t) => ref t.dwHighDateTime));
    }

    [Fact]
    public void MemoryStatusEx_Is64Bytes_ManagedAndMarshalled()
    {
        // dwLength is filled from Marshal.SizeOf; GlobalMemoryStatusEx rejects any other value.
        Assert.Equal(64, Marshal.SizeOf<Interop.Kernel32.MEMORYSTATUSEX>());
        Assert.Equal(64, Unsafe.SizeOf<Interop.Kernel32.MEMORYSTATUSEX>());
        Assert.Equal(8, FieldOffset.Of(default(Interop.Kernel32.MEMORYSTATUSEX), static (ref m) => ref m.ullTotalPhys));
        Assert.Equal(16, FieldOffset.Of(default(Interop.Kernel32.MEMORYSTATUSEX), static (ref m) => ref m.ullAvailPhys));
        Assert.Equal(56, FieldOffset.Of(default(Interop.Kernel32.MEMORYSTATUSEX), static (ref m) => ref m.ullAvailExtendedVirtual));
    }

    [Fact]
    public void MibIfRow2_Is1352Bytes()
    {
        Assert.Equal(1352, Unsafe.SizeOf<Interop.IpHlpApi.MIB_IF_ROW2>());
    }

    [Theory]
    [InlineData("InterfaceIndex", 8)]
    [InlineData("InterfaceGuid", 12)]
    [InlineData("PhysicalAddressLength", 1056)] // after Alias and Description, 257 WCHARs each from 28
    [InlineData("Mtu", 1124)]
    [InlineData("Type", 1128)]
    [InlineData("InterfaceAndOperStatusFlags", 1152)]
    [InlineData("OperStatus", 1156)]
    [InlineData("NetworkGuid", 1168)]
    [InlineData("ConnectionType", 1184)]
    [InlineData("TransmitLinkSpeed", 1192)]
    [InlineData("InOctets", 1208)]
    [InlineData("OutOctets", 1280)]
    [InlineData("OutQLen", 1344)]
    public void MibIfRow2_FieldsSitAtTheirNetioapiOffsets(string field, int expected)
    {
        var row = default(Interop.IpHlpApi.MIB_IF_ROW2);
        long actual = field switch
        {
            "InterfaceIndex" => FieldOffset.Of(row, static (ref r) => ref r.InterfaceIndex),
            "InterfaceGuid" => FieldOffset.Of(row, static (ref r) => ref r.InterfaceGuid),
            "PhysicalAddressLength" => FieldOffset.Of(row, static (ref r) => ref r.PhysicalAddressLength),
            "Mtu" => FieldOffset.Of(row, static (ref r) => ref r.Mtu),
            "Type" => FieldOffset.Of(row, static (ref r) => ref r.Type),
            "InterfaceAndOperStatusFlags" => FieldOffset.Of(row, static (ref r) => ref r.InterfaceAndOperStatusFlags),
            "OperStatus" => FieldOffset.Of(row, static (ref r) => ref r.OperStatus),
            "NetworkGuid" => FieldOffset.Of(row, static (ref r) => ref r.NetworkGuid),
            "ConnectionType" => FieldOffset.Of(row, static (ref r) => ref r.ConnectionType),
            "TransmitLinkSpeed" => FieldOffset.Of(row, static (ref r) => ref r.TransmitLinkSpeed),
            "InOctets" => FieldOffset.Of(row, static (ref r) => ref r.InOctets),
            "OutOctets" => FieldOffset.Of(row, static (ref r) => ref r.OutOctets),
            "OutQLen" => FieldOffset.Of(row, static (ref r) => ref r.OutQLen),
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MibIfTable2_RowsFollowTheCountAtTheRowAlignment()
    {
        Assert.Equal(8, Interop.IpHlpApi.MIB_IF_TABLE2_RowsOffset);
    }
}
