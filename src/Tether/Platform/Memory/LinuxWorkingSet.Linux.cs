using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.Memory;

/// <summary>
/// Linux: gives back the file pages that start-up touched and the running agent no longer needs
/// (its own executable, and OpenSSL's and libc's initialisation code). Only read-only private
/// mappings of files are advised (MADV_PAGEOUT): their pages are clean copies of the file, so
/// the kernel drops them, reads back on the next touch only what is still used, and leaves
/// alone every page another process maps too. Nothing written is affected.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxWorkingSet
{
    /// <summary>Bytes of mappings advised; 0 on kernels before 5.4 (no MADV_PAGEOUT) or when nothing matched.</summary>
    public static long ReleaseFilePages(string mapsText)
    {
        long advised = 0;
        foreach (var mapping in ProcMapsParser.Parse(mapsText))
        {
            if (!mapping.IsReadOnlyPrivate || !mapping.Path.StartsWith('/'))
            {
                continue;
            }

            nuint length = (nuint)(mapping.End - mapping.Start);
            if (Interop.Libc.Madvise((nint)mapping.Start, length, Interop.Libc.MadvPageOutLinux) != 0)
            {
                // EINVAL: a kernel without MADV_PAGEOUT; nothing else can go wrong with an advice.
                return advised;
            }

            advised += (long)length;
        }

        return advised;
    }

    /// <summary><see cref="ReleaseFilePages"/> for this process, with its RssFile just before and after.</summary>
    public static StartupRelease ReleaseOwnFilePages()
    {
        try
        {
            long before = ResidentFileKiB(File.ReadAllBytes("/proc/self/status"));
            long advised = ReleaseFilePages(File.ReadAllText("/proc/self/maps"));
            return new StartupRelease(advised, before, ResidentFileKiB(File.ReadAllBytes("/proc/self/status")));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new StartupRelease(0, -1, -1);
        }
    }

    /// <summary>The <c>RssFile:</c> figure of a <c>/proc/PID/status</c> text in KiB; -1 when absent.</summary>
    internal static long ResidentFileKiB(ReadOnlySpan<byte> status)
    {
        while (!status.IsEmpty)
        {
            var line = ProcText.TakeLine(ref status);
            if (line.StartsWith("RssFile:"u8))
            {
                var rest = line["RssFile:".Length..];
                return ProcText.TryTakeUInt64(ref rest, out ulong kib) ? (long)kib : -1;
            }
        }

        return -1;
    }
}
