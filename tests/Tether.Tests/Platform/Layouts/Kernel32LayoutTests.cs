using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tether.Platform;
using static Tether.Tests.Platform.Layouts.NativeLayout;

namespace Tether.Tests.Platform.Layouts;

/// <summary>
/// The native structs declared for kernel32 against the sizes the Windows SDK headers give on
/// x64 and x86. The expected layout is a formula over the pointer size (<see cref="NativeLayout"/>):
/// its x64 and x86 results are checked against the documented numbers, and the struct as .NET
/// marshals it in this process against the formula for <see cref="IntPtr.Size"/>, field by field.
/// </summary>
public sealed class Kernel32LayoutTests
{
    private static NativeLayout StartupInfo(int p) => Of(
        Dword, Pointer(p), Pointer(p), Pointer(p),
        Dword, Dword, Dword, Dword, Dword, Dword, Dword, Dword,
        Word, Word, Pointer(p), Pointer(p), Pointer(p), Pointer(p));

    private static NativeLayout StartupInfoEx(int p) => Of(StartupInfo(p).AsField(), Pointer(p));

    private static NativeLayout ProcessInformation(int p) => Of(Pointer(p), Pointer(p), Dword, Dword);

    private static NativeLayout Coord(int p) => Of(Word, Word);

    private static NativeLayout SecurityAttributes(int p) => Of(Dword, Pointer(p), Dword);

    private static NativeLayout IoCounters(int p) => Of(Qword, Qword, Qword, Qword, Qword, Qword);

    private static NativeLayout JobObjectBasicLimitInformation(int p) => Of(
        Qword, Qword, Dword, Pointer(p), Pointer(p), Dword, Pointer(p), Dword, Dword);

    private static NativeLayout JobObjectExtendedLimitInformation(int p) => Of(
        JobObjectBasicLimitInformation(p).AsField(), IoCounters(p).AsField(),
        Pointer(p), Pointer(p), Pointer(p), Pointer(p));

    [Fact]
    public void StartupInfo_Is104BytesOnX64And68OnX86() =>
        AssertLayout<Interop.Kernel32.StartupInfo>(StartupInfo, x64: 104, x86: 68);

    [Fact]
    public void StartupInfoEx_Is112BytesOnX64And72OnX86() =>
        AssertLayout<Interop.Kernel32.StartupInfoEx>(StartupInfoEx, x64: 112, x86: 72);

    [Fact]
    public void ProcessInformation_Is24BytesOnX64And16OnX86() =>
        AssertLayout<Interop.Kernel32.ProcessInformation>(ProcessInformation, x64: 24, x86: 16);

    [Fact]
    public void Coord_Is4BytesEverywhere() =>
        AssertLayout<Interop.Kernel32.Coord>(Coord, x64: 4, x86: 4);

    [Fact]
    public void SecurityAttributes_Is24BytesOnX64And12OnX86() =>
        AssertLayout<Interop.Kernel32.SecurityAttributes>(SecurityAttributes, x64: 24, x86: 12);

    [Fact]
    public void IoCounters_Is48BytesEverywhere() =>
        AssertLayout<Interop.Kernel32.IoCounters>(IoCounters, x64: 48, x86: 48);

    [Fact]
    public void JobObjectBasicLimitInformation_Is64BytesOnX64And48OnX86() =>
        AssertLayout<Interop.Kernel32.JobObjectBasicLimitInformation>(JobObjectBasicLimitInformation, x64: 64, x86: 48);

    [Fact]
    public void JobObjectExtendedLimitInformation_Is144BytesOnX64And112OnX86() =>
        AssertLayout<Interop.Kernel32.JobObjectExtendedLimitInformation>(JobObjectExtendedLimitInformation, x64: 144, x86: 112);

    [Fact]
    public void StartupInfo_KeyOffsetsOnX64_MatchTheHeaders()
    {
        var x64 = StartupInfo(8);
        Assert.Equal(60, x64.Offsets[11]); // dwFlags
        Assert.Equal(80, x64.Offsets[15]); // hStdInput
        Assert.Equal(96, x64.Offsets[17]); // hStdError
        Assert.Equal(104, StartupInfoEx(8).Offsets[1]); // lpAttributeList
        Assert.Equal(16, JobObjectBasicLimitInformation(8).Offsets[2]); // LimitFlags
        Assert.Equal(64, JobObjectExtendedLimitInformation(8).Offsets[1]); // IoInfo
    }

    private static void AssertLayout<T>(Func<int, NativeLayout> layout, int x64, int x86)
        where T : struct
    {
        Assert.Equal(x64, layout(8).Size);
        Assert.Equal(x86, layout(4).Size);

        var expected = layout(IntPtr.Size);
        Assert.Equal(expected.Size, Marshal.SizeOf<T>());
        Assert.Equal(expected.Size, Unsafe.SizeOf<T>());
        var fields = typeof(T).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);
        Assert.Equal(expected.Offsets.Length, fields.Length);
        var actual = fields.Select(f => (int)Marshal.OffsetOf<T>(f.Name)).Order().ToArray();
        Assert.Equal(expected.Offsets, actual);
    }
}
