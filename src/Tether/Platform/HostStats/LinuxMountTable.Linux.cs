using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.HostStats;

/// <summary>
/// The real file systems of a Linux host with their space (statvfs) and the bytes read and
/// written on their backing device (<c>/proc/diskstats</c>), each file system once.
/// </summary>
/// <remarks>
/// Not thread-safe. Strings of mount points and types are kept between samples and reused while
/// the mount table does not change, so a steady host allocates no string per sample.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class LinuxMountTable
{
    private readonly ProcFileReader _reader;
    private readonly string _mountInfoPath;
    private readonly string _diskStatsPath;
    private readonly Func<string, (bool Ok, FileSystemSpace Space)> _statVfs;
    private readonly List<Candidate> _candidates = [];
    private readonly List<Candidate> _cache = [];

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
