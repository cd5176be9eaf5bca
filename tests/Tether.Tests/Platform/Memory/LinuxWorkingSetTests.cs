using System.Runtime.Versioning;
using Tether.Platform.Memory;

namespace Tether.Tests.Platform.Memory;

[SupportedOSPlatform("linux")]
public sealed class LinuxWorkingSetTests
{
    private const string Maps = """
        55f621061000-55f621071000 r--p 00000000 fd:01 1234 /opt/tether/tether
        55f621071000-55f621561000 r-xp 00010000 fd:01 1234 /opt/tether/tether
        55f621561000-55f62177e000 rw-p 00500000 fd:01 1234 /opt/tether/tether
        55f62177e000-55f62177f000 r--p 0071d000 fd:01 1234 /opt/tether/tether (deleted)
        7f0000000000-7f0000021000 rw-p 00000000 00:00 0
        7f0000100000-7f0000200000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
        7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
        garbage line
        """;

    [Fact]
    public void Parse_ReadsRangesPermissionsAndPaths_SkippingBadLines()
    {
        var maps = ProcMapsParser.Parse(Maps);

        Assert.Equal(7, maps.Count);
        Assert.Equal(new MemoryMapping(0x55f621071000, 0x55f621561000, "r-xp", "/opt/tether/tether"), maps[1]);
        Assert.Equal(string.Empty, maps[4].Path);
        Assert.Equal("[stack]", maps[6].Path);
        Assert.Equal("/opt/tether/tether (deleted)", maps[3].Path);
    }

    [Fact]
    public void IsReadOnlyPrivate_OnlyForMappingsThatCannotHoldWrittenData()
    {
        var maps = ProcMapsParser.Parse(Maps);

        Assert.Equal([true, true, false, true, false, true, false], maps.Select(static m => m.IsReadOnlyPrivate));
    }

    [Fact]
    public void ReleaseFilePages_OfThisProcess_AdvisesEveryReadOnlyFileMapping_AndTheProcessRunsOn()
    {
        string maps = File.ReadAllText("/proc/self/maps");
        long expected = ProcMapsParser.Parse(maps).Where(static m => m.IsReadOnlyPrivate && m.Path.StartsWith('/')).Sum(static m => (long)(m.End - m.Start));

        long advised = LinuxWorkingSet.ReleaseFilePages(maps);

        Assert.True(expected > 0, "no read-only file mapping in this process");
        Assert.Equal(expected, advised);

        // Code and read-only data that were dropped come back on the next touch.
        Assert.NotEmpty(ProcMapsParser.Parse(File.ReadAllText("/proc/self/maps")));
    }

    [Fact]
    public void ReleaseFilePages_NeverAdvisesWritableSharedOrAnonymousMappings()
    {
        // A writable or shared mapping can hold data that is not in the file; these must be left alone.
        const string Unsafe = """
            7f0000000000-7f0000001000 rw-p 00000000 fd:01 1 /opt/tether/tether
            7f0000001000-7f0000002000 r--s 00000000 fd:01 2 /dev/shm/x
            7f0000002000-7f0000003000 r--p 00000000 00:00 0
            7f0000003000-7f0000004000 r-xp 00000000 00:00 0                          [vdso]
            """;

        Assert.Equal(0, LinuxWorkingSet.ReleaseFilePages(Unsafe));
    }

    [Fact]
    public void ResidentFileKiB_ReadsRssFile_OrMinusOneWhenAbsent()
    {
        Assert.Equal(12572, LinuxWorkingSet.ResidentFileKiB("Name:\ttether\nVmRSS:\t   16328 kB\nRssAnon:\t    3756 kB\nRssFile:\t   12572 kB\n"u8));
        Assert.Equal(-1, LinuxWorkingSet.ResidentFileKiB("Name:\ttether\n"u8));
    }
}
