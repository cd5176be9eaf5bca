using System.Runtime.InteropServices;
using Tether.Telemetry;

namespace Tether.Tests.Telemetry;

public sealed class NodeArchTests
{
    [Theory]
    [InlineData(Architecture.X64, "x64")]
    [InlineData(Architecture.Arm64, "arm64")]
    [InlineData(Architecture.Arm, "arm")]
    [InlineData(Architecture.Armv6, "arm")]
    [InlineData(Architecture.X86, "ia32")]
    [InlineData(Architecture.S390x, "s390x")]
    [InlineData(Architecture.Ppc64le, "ppc64")]
    [InlineData(Architecture.RiscV64, "riscv64")]
    [InlineData(Architecture.LoongArch64, "loong64")]
    public void From_UsesNodeOsArchNames(Architecture architecture, string expected)
    {
        Assert.Equal(expected, NodeArch.From(architecture));
    }
}
