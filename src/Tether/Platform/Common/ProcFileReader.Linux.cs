using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Common;

/// <summary>
/// Reads small /proc and /sys files into one reused buffer, so a sample costs no byte arrays.
/// The returned span is valid until the next read.
/// </summary>
/// <remarks>
/// A file on procfs or sysfs is opened once and kept: those files make their text afresh on
/// every read from offset 0, so each later sample costs a <c>pread</c> from 0 instead of an
/// open, two reads and a close (the path lookup and the file setup were a tenth of an idle
/// agent's stats thread, bench/RESULTS.md, issue 13). Any other file (a test's fixture, a file a
/// rename can replace) is opened and closed on every read, as a kept descriptor would go on
/// reading the old file. A kept file whose read fails (a sysfs sensor whose device went away
/// answers ENODEV) is closed and opened afresh once. The kept descriptors live as long as the
/// reader, which the stats loop holds for the agent's life; at most <see cref="MaxKept"/>.
/// Not thread-safe: the buffer is shared by every read.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class ProcFileReader
{
    /// <summary>More than a sample reads (six /proc files, the mount table, a sensor or two per chip).</summary>
    internal const int MaxKept = 64;

    // /proc/net/dev grows by ~130 bytes an interface; hosts with thousands of veths stay far below this.
    private const int MaxBytes = 4 * 1024 * 1024;

    // <linux/magic.h>
    private const long ProcSuperMagic = 0x9fa0;
    private const long SysfsMagic = 0x62656572;

    private readonly Dictionary<string, SafeFileHandle> _kept = new(StringComparer.Ordinal);
    private byte[] _buffer = new byte[4096];

    /// <summary>How many files are held open for the next read (tests).</summary>
    internal int KeptCount => _kept.Count;

    /// <summary>
    /// Reads from the start of <paramref name="path"/> until end of file, or until
    /// <paramref name="limit"/> bytes when only a prefix matters (the first line of /proc/stat,
    /// whose per-IRQ lines run to tens of kilobytes). <see langword="false"/> when the file
    /// cannot be opened or read.
    /// </summary>
    public bool TryRead(string path, out ReadOnlySpan<byte> content, int limit = MaxBytes)
    {
        content = default;
        int length;
        if (_kept.TryGetValue(path, out var kept))
        {
            if (TryReadFromStart(kept, limit, out length))
            {
                content = _buffer.AsSpan(0, length);
                return true;
            }

            _kept.Remove(path);
            kept.Dispose();
        }

        // open(2) and read(2) themselves: File.OpenHandle would add an fstat and a flock(2) per
        // file (its FileShare emulation), two system calls of six for every file of every sample.
        int fd = Interop.Libc.Open(path, UnixPlatform.Current.OCloExec);
        if (fd < 0)
        {
            return false;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        bool keep = false;
        try
        {
            if (!TryReadFromStart(handle, limit, out length))
            {
                return false;
            }

            keep = _kept.Count < MaxKept && MakesItsTextOnEachRead(handle);
            if (keep)
            {
                _kept.Add(path, handle);
            }

            content = _buffer.AsSpan(0, length);
            return true;
        }
        finally
        {
            if (!keep)
            {
                handle.Dispose();
            }
        }
    }

    private static bool MakesItsTextOnEachRead(SafeFileHandle handle) =>
        Interop.Libc.Fstatfs(handle, out var fs) == 0 && (long)fs.f_type is ProcSuperMagic or SysfsMagic;

    private unsafe bool TryReadFromStart(SafeFileHandle handle, int limit, out int length)
    {
        length = 0;
        while (length < limit)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxBytes));
            }

            nint read;
            fixed (byte* target = &_buffer[length])
            {
                read = Interop.Libc.Pread(handle, target, (nuint)(Math.Min(_buffer.Length, limit) - length), length);
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

        return true;
    }
}
