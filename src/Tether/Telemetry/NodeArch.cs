using System.Runtime.InteropServices;

namespace Tether.Telemetry;

/// <summary>
/// Node's <c>os.arch()</c> spelling of a CPU architecture, which the dashboard already shows
/// for the Node agent (it reports the process's architecture, as <c>process.arch</c> does).
/// </summary>
internal static class NodeArch
{
    public static string From(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x64",
        Architecture.X86 => "ia32",
        Architecture.Arm64 => "arm64",
        Architecture.Arm or Architecture.Armv6 => "arm",
        Architecture.S390x => "s390x",
        Architecture.LoongArch64 => "loong64",
        Architecture.Ppc64le => "ppc64",
        Architecture.RiscV64 => "riscv64",
        Architecture.Wasm => "wasm32",
        _ => architecture.ToString().ToLowerInvariant(),
    };
}
