using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tether.Platform;
using Tether.Platform.HostStats;

namespace Tether.Tests.Platform.HostStats;

public sealed class InterfaceListParserTests
{
    private const byte RtmNewAddr = 0x0c;

    [Fact]
    public void TryParse_SumsNonLoopbackInterfaces_SkipsAddressMessages()
    {
        var list = Concat(
            Interface(flags: 0x8863, rx: 5_000_000_000, tx: 7),
            AddressMessage(20),
            Interface(flags: 0x8049, rx: 999, tx: 999),
            Interface(flags: 0x8863, rx: 10, tx: 1UL << 40));

        Assert.True(InterfaceListParser.TryParse(list, out var counters));
        Assert.Equal(new NetworkCounters(5_000_000_010, (1UL << 40) + 7), counters);
    }

    [Fact]
    public void TryParse_Empty_IsZero()
    {
        Assert.True(InterfaceListParser.TryParse([], out var counters));
        Assert.Equal(default, counters);
    }

    [Fact]
    public void TryParse_LengthPastTheEnd_IsMalformed()
    {
        var list = Interface(flags: 0, rx: 1, tx: 1);
        list[0] = 0xff;
        list[1] = 0x01;

        Assert.False(InterfaceListParser.TryParse(list, out _));
    }

    [Fact]
    public void TryParse_ZeroLength_IsMalformed_NotAnEndlessLoop()
    {
        Assert.False(InterfaceListParser.TryParse(new byte[8], out _));
    }

    [Fact]
    public void TryParse_InterfaceMessageShorterThanItsHeader_IsMalformed()
    {
        var list = Interface(flags: 0, rx: 1, tx: 1).AsSpan(0, 64).ToArray();
        list[0] = 64;
        list[1] = 0;

        Assert.False(InterfaceListParser.TryParse(list, out _));
    }

    private static byte[] Interface(int flags, ulong rx, ulong tx)
    {
        var message = new Interop.Libc.IfMsgHdr2
        {
            ifm_msglen = (ushort)Unsafe.SizeOf<Interop.Libc.IfMsgHdr2>(),
            ifm_version = 5,
            ifm_type = Interop.Libc.RtmIfInfo2,
            ifm_flags = flags,
        };
        message.ifm_data.ifi_ibytes = rx;
        message.ifm_data.ifi_obytes = tx;
        var bytes = new byte[message.ifm_msglen];
        MemoryMarshal.Write(bytes, in message);
        return bytes;
    }

    private static byte[] AddressMessage(ushort length)
    {
        var bytes = new byte[length];
        MemoryMarshal.Write(bytes, in length);
        bytes[2] = 5;
        bytes[3] = RtmNewAddr;
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
