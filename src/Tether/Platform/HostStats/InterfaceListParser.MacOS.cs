using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tether.Platform.HostStats;

/// <summary>
/// Sums the 64-bit byte counters of a <c>sysctl(NET_RT_IFLIST2)</c> reply: a run of routing
/// messages, each starting with its length (u16) and type (byte 3). <c>RTM_IFINFO2</c>
/// messages are <c>if_msghdr2</c> (one per interface); the address messages between them are
/// skipped. Loopback (IFF_LOOPBACK) is left out, as docs/protocol.md §3 asks.
/// </summary>
internal static class InterfaceListParser
{
    private const int TypeOffset = 3;

    /// <summary>False when a message length runs past the buffer or is too short to be one (a malformed reply).</summary>
    public static bool TryParse(ReadOnlySpan<byte> messages, out NetworkCounters counters)
    {
        counters = default;
        int headerSize = Unsafe.SizeOf<Interop.Libc.IfMsgHdr2>();
        ulong rx = 0, tx = 0;
        while (!messages.IsEmpty)
        {
            if (messages.Length < sizeof(ushort) + 2)
            {
                return false;
            }

            int length = MemoryMarshal.Read<ushort>(messages);
            if (length < 4 || length > messages.Length)
            {
                return false;
            }

            if (messages[TypeOffset] == Interop.Libc.RtmIfInfo2)
            {
                if (length < headerSize)
                {
                    return false;
                }

                var message = MemoryMarshal.Read<Interop.Libc.IfMsgHdr2>(messages);
                if ((message.ifm_flags & Interop.Libc.IffLoopback) == 0)
                {
                    rx += message.ifm_data.ifi_ibytes;
                    tx += message.ifm_data.ifi_obytes;
                }
            }

            messages = messages[length..];
        }

        counters = new NetworkCounters(rx, tx);
        return true;
    }
}
