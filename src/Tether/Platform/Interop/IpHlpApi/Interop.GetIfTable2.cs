using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class IpHlpApi
    {
        /// <summary>IF_TYPE_SOFTWARE_LOOPBACK (ipifcons.h).</summary>
        internal const uint IF_TYPE_SOFTWARE_LOOPBACK = 24;

        /// <summary>InterfaceAndOperStatusFlags bit 1: FilterInterface (an NDIS filter stacked on another interface).</summary>
        internal const byte IfFlagFilterInterface = 0x02;

        /// <summary>
        /// MIB_IF_ROW2 (netioapi.h), 1352 bytes with 8-byte alignment on every Windows ABI (MSVC
        /// aligns its 64-bit members to 8 on x86 too). Declared in full so the offsets of the
        /// counters follow from the C declaration; a layout test pins them.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct MIB_IF_ROW2
        {
            internal const int IF_MAX_STRING_SIZE = 256;
            internal const int IF_MAX_PHYS_ADDRESS_LENGTH = 32;

            internal ulong InterfaceLuid;
            internal uint InterfaceIndex;
            internal Guid InterfaceGuid;
            internal fixed ushort Alias[IF_MAX_STRING_SIZE + 1]; // WCHAR; ushort keeps the struct blittable
            internal fixed ushort Description[IF_MAX_STRING_SIZE + 1];
            internal uint PhysicalAddressLength;
            internal fixed byte PhysicalAddress[IF_MAX_PHYS_ADDRESS_LENGTH];
            internal fixed byte PermanentPhysicalAddress[IF_MAX_PHYS_ADDRESS_LENGTH];
            internal uint Mtu;
            internal uint Type;
            internal int TunnelType;
            internal int MediaType;
            internal int PhysicalMediumType;
            internal int AccessType;
            internal int DirectionType;
            internal byte InterfaceAndOperStatusFlags;
            internal int OperStatus;
            internal int AdminStatus;
            internal int MediaConnectState;
            internal Guid NetworkGuid;
            internal int ConnectionType;
            internal ulong TransmitLinkSpeed;
            internal ulong ReceiveLinkSpeed;
            internal ulong InOctets;
            internal ulong InUcastPkts;
            internal ulong InNUcastPkts;
            internal ulong InDiscards;
            internal ulong InErrors;
            internal ulong InUnknownProtos;
            internal ulong InUcastOctets;
            internal ulong InMulticastOctets;
            internal ulong InBroadcastOctets;
            internal ulong OutOctets;
            internal ulong OutUcastPkts;
            internal ulong OutNUcastPkts;
            internal ulong OutDiscards;
            internal ulong OutErrors;
            internal ulong OutUcastOctets;
            internal ulong OutMulticastOctets;
            internal ulong OutBroadcastOctets;
            internal ulong OutQLen;
        }

        /// <summary>
        /// MIB_IF_TABLE2's fixed head: <c>ULONG NumEntries</c>, then the rows at
        /// <see cref="MIB_IF_TABLE2_RowsOffset"/> (the rows' 8-byte alignment pads the count).
        /// </summary>
        internal const int MIB_IF_TABLE2_RowsOffset = 8;

        /// <summary>
        /// GetIfTable2: allocates a MIB_IF_TABLE2 of every interface; free it with
        /// <see cref="FreeMibTable"/>. Returns NO_ERROR (0) or a Win32 error code.
        /// </summary>
        [LibraryImport("iphlpapi.dll", EntryPoint = "GetIfTable2", SetLastError = true)]
        [SupportedOSPlatform("windows")]
        internal static unsafe partial uint GetIfTable2(out void* table);
    }
}
