using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>MIB of the interface list with 64-bit counters: CTL_NET, PF_ROUTE, 0, AF_UNSPEC, NET_RT_IFLIST2, 0 (sys/socket.h).</summary>
        internal const int CtlNet = 4;
        internal const int PfRoute = 17;
        internal const int NetRtIfList2 = 6;

        /// <summary><c>RTM_IFINFO2</c> (net/route.h): the message type of an <see cref="IfMsgHdr2"/>.</summary>
        internal const byte RtmIfInfo2 = 0x12;

        /// <summary><c>IFF_LOOPBACK</c> (net/if.h).</summary>
        internal const int IffLoopback = 0x8;

        /// <summary>
        /// <c>struct if_data64</c> (macOS net/if_var.h, under <c>#pragma pack(4)</c>, 128 bytes).
        /// The plain <c>if_data</c> that getifaddrs hands out has 32-bit byte counters that wrap
        /// at 4 GiB; this one does not.
        /// </summary>
        [StructLayout(LayoutKind.Sequential, Pack = 4)]
        internal unsafe struct IfData64
        {
            internal byte ifi_type;
            internal byte ifi_typelen;
            internal byte ifi_physical;
            internal byte ifi_addrlen;
            internal byte ifi_hdrlen;
            internal byte ifi_recvquota;
            internal byte ifi_xmitquota;
            internal byte ifi_unused1;
            internal uint ifi_mtu;
            internal uint ifi_metric;
            internal ulong ifi_baudrate;
            internal ulong ifi_ipackets;
            internal ulong ifi_ierrors;
            internal ulong ifi_opackets;
            internal ulong ifi_oerrors;
            internal ulong ifi_collisions;
            internal ulong ifi_ibytes;
            internal ulong ifi_obytes;
            internal ulong ifi_imcasts;
            internal ulong ifi_omcasts;
            internal ulong ifi_iqdrops;
            internal ulong ifi_noproto;
            internal uint ifi_recvtiming;
            internal uint ifi_xmittiming;
            internal fixed int ifi_lastchange[2];
        }

        /// <summary><c>struct if_msghdr2</c> (macOS net/if.h, 160 bytes): one per interface in the NET_RT_IFLIST2 list.</summary>
        [StructLayout(LayoutKind.Sequential, Pack = 4)]
        internal struct IfMsgHdr2
        {
            internal ushort ifm_msglen;
            internal byte ifm_version;
            internal byte ifm_type;
            internal int ifm_addrs;
            internal int ifm_flags;
            internal ushort ifm_index;
            internal int ifm_snd_len;
            internal int ifm_snd_maxlen;
            internal int ifm_snd_drops;
            internal int ifm_timer;
            internal IfData64 ifm_data;
        }

        /// <summary>sysctl(3) (macOS/BSD) by MIB: <paramref name="length"/> in and out; with a null <paramref name="value"/> it reports the size needed.</summary>
        [LibraryImport("libc", EntryPoint = "sysctl", SetLastError = true)]
        [SupportedOSPlatform("macos")]
        internal static unsafe partial int Sysctl(int* name, uint nameLength, void* value, nuint* length, void* newValue, nuint newLength);
    }
}
