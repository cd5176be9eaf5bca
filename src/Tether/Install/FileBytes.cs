namespace Tether.Install;

/// <summary>Byte-for-byte file comparison, on every platform.</summary>
/// <remarks>Thread-safe: stateless.</remarks>
internal static class FileBytes
{
    /// <summary>True when both files hold the same bytes.</summary>
    public static bool Same(string a, string b)
    {
        var infoA = new FileInfo(a);
        var infoB = new FileInfo(b);
        if (!infoA.Exists || !infoB.Exists || infoA.Length != infoB.Length)
        {
            return false;
        }

        using var streamA = infoA.OpenRead();
        using var streamB = infoB.OpenRead();
        var bufferA = new byte[81920];
        var bufferB = new byte[81920];
        while (true)
        {
            int read = streamA.ReadAtLeast(bufferA, bufferA.Length, throwOnEndOfStream: false);
            int readB = streamB.ReadAtLeast(bufferB, bufferB.Length, throwOnEndOfStream: false);
            if (read != readB || !bufferA.AsSpan(0, read).SequenceEqual(bufferB.AsSpan(0, read)))
            {
                return false;
            }

            if (read < bufferA.Length)
            {
                return true;
            }
        }
    }
}
