using Tether.Transport;

namespace Tether.Tests.Transport;

public sealed class PrefixedStreamTests
{
    [Fact]
    public async Task ReadAsync_ReturnsThePrefixFirst_InPieces_ThenTheInnerStream()
    {
        using var inner = new MemoryStream("world"u8.ToArray());
        await using var stream = new PrefixedStream("hello "u8.ToArray(), inner);
        var buffer = new byte[4];
        var read = new List<byte>();

        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            read.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.Equal("hello world"u8.ToArray(), read.ToArray());
    }

    [Fact]
    public async Task WriteAsync_GoesToTheInnerStream_AndDisposeDisposesIt()
    {
        var inner = new MemoryStream();
        var stream = new PrefixedStream("x"u8.ToArray(), inner);

        await stream.WriteAsync("abc"u8.ToArray());
        Assert.Equal("abc"u8.ToArray(), inner.ToArray());

        await stream.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => inner.WriteByte(1));
    }
}
