using System.Collections;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.Processes;

/// <summary>execve(2) of a program with this process's environment.</summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal static class UnixProcessImage
{
    public static unsafe string Replace(string path, IReadOnlyList<string> arguments)
    {
        var environment = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment.Add($"{entry.Key}={entry.Value}");
        }

        using var argv = new NativeStringArray([path, .. arguments]);
        using var envp = new NativeStringArray(environment);
        byte* nativePath = NativeStringArray.Allocate(path);
        try
        {
            Interop.Libc.Execve(nativePath, argv.Pointer, envp.Pointer);
            return $"execve {path}: {Marshal.GetLastPInvokeErrorMessage()}";
        }
        finally
        {
            NativeMemory.Free(nativePath);
        }
    }
}
