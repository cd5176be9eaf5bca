using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Common;

namespace Tether.Platform.HostStats;

/// <summary>
/// The real file systems of a Linux host with their space (statvfs) and the bytes read and
/// written on their backing device (<c>/proc/diskstats</c>), each file system once.
/// </summary>
/// <remarks>
/// Not thread-safe. The mount table is read again only after it changed: a procfs mount table
/// held open answers <c>poll(2)</c> with <c>POLLPRI</c> once after each mount or unmount in the
/// namespace, so a steady host skips the kernel's <c>show_mountinfo</c> walk and the parse of
/// every sample (about a fifth of a sample's time, bench/RESULTS.md). A file that is not procfs (a
/// captured tree in tests) answers <c>POLLOUT</c> as well, cannot tell, and is read every time.
/// Strings of mount points and types are kept and reused while the table does not change, so a
/// steady host allocates no string per sample.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class LinuxMountTable
{
    private const short PollPri = 0x2;
    private const short PollOut = 0x4;

    private readonly ProcFileReader _reader;
    private readonly string _mountInfoPath;
    private readonly string _diskStatsPath;
    private readonly Func<string, (bool Ok, FileSystemSpace Space)> _statVfs;
    private readonly List<Candidate> _candidates = [];
    private readonly List<Candidate> _cache = [];
    private SafeFileHandle? _watch;
    private bool _mayWatch = true;
    private bool _listed;

    public LinuxMountTable(ProcFileReader reader, string mountInfoPath, string diskStatsPath, Func<string, (bool Ok, FileSystemSpace Space)> statVfs)
    {
        _reader = reader;
        _mountInfoPath = mountInfoPath;
        _diskStatsPath = diskStatsPath;
        _statVfs = statVfs;
    }

    public bool TryRead(List<MountedFileSystem> into)
    {
        into.Clear();
        if ((!_listed || Changed()) && !ReadMountInfo())
        {
            return false;
        }

        bool haveDiskStats = _reader.TryRead(_diskStatsPath, out var diskStats);
        Span<ulong> read = _candidates.Count <= 64 ? stackalloc ulong[_candidates.Count] : new ulong[_candidates.Count];
        Span<ulong> written = _candidates.Count <= 64 ? stackalloc ulong[_candidates.Count] : new ulong[_candidates.Count];
        Span<byte> match = _candidates.Count <= 64 ? stackalloc byte[_candidates.Count] : new byte[_candidates.Count];
        match.Clear();
        while (haveDiskStats && !diskStats.IsEmpty)
        {
            var line = ProcText.TakeLine(ref diskStats);
            if (!DiskStatsParser.TryParseLine(line, out uint major, out uint minor, out var name, out ulong r, out ulong w))
            {
                continue;
            }

            for (int i = 0; i < _candidates.Count; i++)
            {
                var c = _candidates[i];
                if (c.Major == major && c.Minor == minor)
                {
                    (read[i], written[i], match[i]) = (r, w, 2);
                }
                else if (match[i] == 0 && c.SourceDevice is { } device && name.SequenceEqual(device))
                {
                    // btrfs and others report an anonymous device number; the source names the disk.
                    (read[i], written[i], match[i]) = (r, w, 1);
                }
            }
        }

        for (int i = 0; i < _candidates.Count; i++)
        {
            var c = _candidates[i];
            var (ok, space) = _statVfs(c.MountPoint);
            if (!ok || space.TotalBlocks == 0)
            {
                continue;
            }

            into.Add(new MountedFileSystem(c.MountPoint, c.FsType, space, match[i] != 0, read[i], written[i]));
        }

        return true;
    }

    /// <summary>Reads and parses the mount table into the candidates; false when it cannot be read.</summary>
    private bool ReadMountInfo()
    {
        _listed = false;

        // Watch first, read second: a change after the watch opened shows at the next poll.
        Watch();
        if (!_reader.TryRead(_mountInfoPath, out var mountInfo))
        {
            return false;
        }

        _candidates.Clear();
        while (!mountInfo.IsEmpty)
        {
            var line = ProcText.TakeLine(ref mountInfo);
            if (!MountInfoParser.TryParseLine(line, out var entry) || !LinuxMountFilter.IsListed(entry.FsType, entry.MountPoint))
            {
                continue;
            }

            bool isRoot = entry.Root.SequenceEqual("/"u8);
            int same = IndexOfDevice(entry.Major, entry.Minor);
            if (same >= 0)
            {
                // A second view of one file system (a bind mount, a subvolume seen twice): the
                // first mount of its root wins, else the first mount at all.
                if (isRoot && !_candidates[same].IsRoot)
                {
                    _candidates[same] = Lookup(entry, isRoot);
                }

                continue;
            }

            _candidates.Add(Lookup(entry, isRoot));
        }

        // The candidates hold every string still in use; what is not among them is let go.
        _cache.Clear();
        _cache.AddRange(_candidates);

        _listed = _watch is not null;
        return true;
    }

    /// <summary>True when the watched table reported a mount or unmount since the last poll (the poll takes the report).</summary>
    private unsafe bool Changed()
    {
        // Only POLLPRI is asked for: a quiet table answers nothing (0); a change POLLPRI|POLLERR; a failed poll -1 (read again).
        var fd = new Interop.Libc.PollFd { Fd = (int)_watch!.DangerousGetHandle(), Events = PollPri };
        return Interop.Libc.Poll(&fd, 1, 0) != 0;
    }

    private unsafe void Watch()
    {
        if (_watch is not null || !_mayWatch)
        {
            return;
        }

        int fd = Interop.Libc.Open(_mountInfoPath, UnixPlatform.Current.OCloExec);
        if (fd < 0)
        {
            return;
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // procfs answers a mount table's poll with POLLIN (and POLLPRI after a change), never
        // POLLOUT; any file without a poll of its own answers POLLOUT too.
        var poll = new Interop.Libc.PollFd { Fd = fd, Events = PollPri | PollOut };
        if (Interop.Libc.Poll(&poll, 1, 0) >= 0 && (poll.ReturnedEvents & PollOut) == 0)
        {
            _watch = handle;
            return;
        }

        handle.Dispose();
        _mayWatch = false;
    }

    private Candidate Lookup(in MountInfoLine entry, bool isRoot)
    {
        foreach (var cached in _cache)
        {
            if (cached.Major == entry.Major && cached.Minor == entry.Minor && cached.IsRoot == isRoot
                && entry.MountPoint.SequenceEqual(cached.EscapedMountPoint) && entry.FsType.SequenceEqual(cached.FsTypeBytes))
            {
                return cached;
            }
        }

        byte[]? sourceDevice = entry.Source.StartsWith("/dev/"u8) && entry.Source.LastIndexOf((byte)'/') is int slash
            ? entry.Source[(slash + 1)..].ToArray()
            : null;
        return new Candidate(
            entry.Major,
            entry.Minor,
            isRoot,
            entry.MountPoint.ToArray(),
            MountInfoParser.Unescape(entry.MountPoint),
            entry.FsType.ToArray(),
            MountInfoParser.Unescape(entry.FsType),
            sourceDevice);
    }

    private int IndexOfDevice(uint major, uint minor)
    {
        for (int i = 0; i < _candidates.Count; i++)
        {
            if (_candidates[i].Major == major && _candidates[i].Minor == minor)
            {
                return i;
            }
        }

        return -1;
    }

    private sealed record Candidate(uint Major, uint Minor, bool IsRoot, byte[] EscapedMountPoint, string MountPoint, byte[] FsTypeBytes, string FsType, byte[]? SourceDevice);
}
