using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Common;

/// <summary>
/// Reads small /proc files into one reused buffer, so a sample costs a file handle and no
/// byte arrays. The returned span is valid until the next read.
/// </summary>
/// <remarks>Not thread-safe: the buffer is shared by every read.</remarks>
[SupportedOSPlatform("linux")]
internal sealed class ProcFileReader
{
    // /proc/net/dev grows by ~130 bytes an interface; hosts with thousands of veths stay far below this.
    private const int MaxBytes = 4 * 1024 * 1024;

    private byte[] _buffer = new byte[4096];

    /// <summary>
    /// Reads from the start of <paramref name="path"/> until end of file, or until
    /// <paramref name="limit"/> bytes when only a prefix matters (the first line of /proc/stat,
    /// whose per-IRQ lines run to tens of kilobytes). <see langword="false"/> when the file
    /// cannot be opened or read.
    /// </summary>
    public unsafe bool TryRead(string path, out ReadOnlySpan<byte> content, int limit = MaxBytes)
    {
        content = default;

        // open(2) and read(2) themselves: File.OpenHandle would add an fstat and a flock(2) per
        // file (its FileShare emulation), two system calls of six for every file of every sample.
        int fd = Interop.Libc.Open(path, UnixPlatform.Current.OCloExec);
        if (fd < 0)
        {
            return false;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        int length = 0;
        while (length < limit)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxBytes));
            }

            nint read;
            fixed (byte* target = &_buffer[length])
            {
                read = Interop.Libc.Read(handle, target, (nuint)(Math.Min(_buffer.Length, limit) - length));
            }

            if (read == 0)
            {
                break;
            }

            if (read < 0)
            {
                if (Marshal.GetLastPInvokeError() == UnixPlatform.Current.EIntr)
                {
                    continue;
                }

                return false;
            }

            length += (int)read;
        }

        content = _buffer.AsSpan(0, length);
        return true;
    }
}
