using System.Globalization;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.Processes;

/// <summary>
/// Starts a child with <c>posix_spawn</c> (never fork from managed code, docs/field-notes.md) as the
/// leader of a new process group, stdout and stderr on pipes, stdin on a pipe or
/// <c>/dev/null</c>, default signal dispositions and an empty mask.
/// </summary>
/// <remarks>
/// The pipes come from <see cref="AnonymousPipeServerStream"/> with CLOEXEC set, so a child
/// spawned concurrently by another command never inherits our ends (it would hold EOF back);
/// the dup2 file actions clear CLOEXEC only on the child's 0/1/2. Thread-safe: stateless.
/// </remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed class UnixChildProcessLauncher(UnixPlatform platform) : IChildProcessLauncher
{
    // POSIX_SPAWN_SETPGROUP: 0x02 in both glibc <spawn.h> and macOS <spawn.h>.
    private const int SpawnSetPGroup = 0x02;
    private const int ORdOnly = 0;

    public IChildProcess Start(ChildProcessStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = ExecutableLookup.Resolve(options.File, options.Environment.TryGetValue("PATH", out var childPath) ? childPath : "/usr/bin:/bin")
            ?? throw new ChildProcessException($"cannot start '{options.File}': no such executable file in PATH");
        if (options.WorkingDirectory is { } cwd && !Directory.Exists(cwd))
        {
            throw new ChildProcessException($"cannot start '{options.File}': working directory '{cwd}' does not exist");
        }

        AnonymousPipeServerStream? stdout = null, stderr = null, stdin = null;
        try
        {
            stdout = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
            stderr = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
            stdin = options.RedirectStandardInput ? new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None) : null;
            var pid = Spawn(file, options, stdin, stdout, stderr);

            // The child has its copies; ours would hold EOF back.
            stdout.DisposeLocalCopyOfClientHandle();
            stderr.DisposeLocalCopyOfClientHandle();
            stdin?.DisposeLocalCopyOfClientHandle();
            return new UnixChildProcess(platform, pid, stdout, stderr, stdin);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stdout?.Dispose();
            stderr?.Dispose();
            stdin?.Dispose();
            throw new ChildProcessException($"cannot start '{options.File}': {e.Message}", e);
        }
        catch
        {
            stdout?.Dispose();
            stderr?.Dispose();
            stdin?.Dispose();
            throw;
        }
    }

    private int Spawn(
        string file,
        ChildProcessStartOptions options,
        AnonymousPipeServerStream? stdin,
        AnonymousPipeServerStream stdout,
        AnonymousPipeServerStream stderr)
    {
        var handles = new List<SafeHandle> { stdout.ClientSafePipeHandle, stderr.ClientSafePipeHandle };
        if (stdin is not null)
        {
            handles.Add(stdin.ClientSafePipeHandle);
        }

        var added = new List<SafeHandle>();
        try
        {
            foreach (var handle in handles)
            {
                var ok = false;
                handle.DangerousAddRef(ref ok);
                added.Add(handle);
            }

            // A new process group led by the child, so a timeout kills the whole tree.
            using var spawn = new PosixSpawnSetup(platform, SpawnSetPGroup, processGroup: 0, Failure);
            if (stdin is null)
            {
                spawn.AddOpen(0, "/dev/null", ORdOnly);
            }
            else
            {
                spawn.AddDup2(Fd(stdin.ClientSafePipeHandle), 0);
            }

            spawn.AddDup2(Fd(stdout.ClientSafePipeHandle), 1);
            spawn.AddDup2(Fd(stderr.ClientSafePipeHandle), 2);
            if (options.WorkingDirectory is { } cwd)
            {
                spawn.AddChdir(cwd);
            }

            int error = spawn.Spawn(file, [file, .. options.Arguments], [.. options.Environment.Select(static kv => kv.Key + "=" + kv.Value)], out int pid);
            if (error != 0)
            {
                throw new ChildProcessException(
                    $"cannot start '{options.File}': {Marshal.GetPInvokeErrorMessage(error)} (errno {error.ToString(CultureInfo.InvariantCulture)})");
            }

            return pid;
        }
        finally
        {
            foreach (var handle in added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static int Fd(SafeHandle handle) => checked((int)handle.DangerousGetHandle());

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw Failure(what, error);
        }
    }

    private static ChildProcessException Failure(string what, int error) =>
        new($"spawn: {what} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error.ToString(CultureInfo.InvariantCulture)})");
}
