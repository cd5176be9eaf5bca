using System.Buffers;
using System.Text;
using Tether.Protocol;

namespace Tether.Tests.Protocol;

public sealed class JsonTextEscaperTests
{
    [Fact]
    public void TheProtocolsEncoder_EscapesExactlyControlsQuoteBackslashAndDelete_InAscii_SoTheVectorScanIsUsed()
    {
        // If the encoder's ASCII set ever changes, the scan falls back to SearchValues (correct,
        // slower); this test says so instead of letting the shell output path slow down unseen.
        Assert.True(JsonTextEscaper.SimpleStops);
    }

    [Fact]
    public void VectorScan_FindsTheSameFirstStopAsTheEncoder_AtEveryOffsetAndLength()
    {
        var random = new Random(11);
        var stops = new bool[256];
        for (var b = 0; b < 256; b++)
        {
            stops[b] = b >= 0x80 || EventFrameEncoder.WriterOptions.Encoder!.WillEncode(b);
        }

        for (var round = 0; round < 2000; round++)
        {
            var bytes = new byte[random.Next(0, 100)];
            for (var i = 0; i < bytes.Length; i++)
            {
                // Mostly plain letters, so stops land at every position of a block.
                bytes[i] = random.Next(8) == 0 ? (byte)random.Next(256) : (byte)random.Next('a', 'z' + 1);
            }

            var expected = Array.FindIndex(bytes, b => stops[b]);
            Assert.Equal(expected, JsonTextEscaper.IndexOfStop(bytes));
        }
    }

    [Fact]
    public void Escape_StopsAtWholeScalars_WhenTheDestinationIsFull()
    {
        var source = Encoding.UTF8.GetBytes("ab\n中");
        var destination = new byte[5];
        var read = JsonTextEscaper.Escape(source, destination, final: true, out var written);
        Assert.Equal(3, read);
        Assert.Equal("ab\\n", Encoding.UTF8.GetString(destination, 0, written));
    }

    [Fact]
    public void Escape_LeavesAnIncompleteTail_UnlessFinal()
    {
        byte[] source = [(byte)'x', 0xe4, 0xb8];
        var destination = new byte[64];
        Assert.Equal(1, JsonTextEscaper.Escape(source, destination, final: false, out var written));
        Assert.Equal(1, written);
        Assert.Equal(3, JsonTextEscaper.Escape(source, destination, final: true, out written));
        Assert.Equal("x\uFFFD", Encoding.UTF8.GetString(destination, 0, written));
        Assert.Equal(OperationStatus.Done, Rune.DecodeFromUtf8(destination.AsSpan(1, written - 1), out var rune, out _));
        Assert.Equal(Rune.ReplacementChar, rune);
    }
}
