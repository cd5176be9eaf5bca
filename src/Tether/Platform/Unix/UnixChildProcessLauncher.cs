using System.Globalization;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tether.Platform.Unix;

/// <summary>
/// Starts a child with <c>posix_spawn</c> (never fork from managed code, FIELD-NOTES) as the
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

    private unsafe int Spawn(
        string file,
        ChildProcessStartOptions options,
        AnonymousPipeServerStream? stdin,
        AnonymousPipeServerStream stdout,
        AnonymousPipeServerStream stderr)
    {
        // Opaque libc types with per-libc sizes; generous zeroed buffers fit them all (see UnixPty).
        const int OpaqueSize = 1024;
        var attributes = (nint)NativeMemory.AllocZeroed(OpaqueSize);
        var actions = (nint)NativeMemory.AllocZeroed(OpaqueSize);
        var defaultSignals = (nint)NativeMemory.AllocZeroed(OpaqueSize);
        var mask = (nint)NativeMemory.AllocZeroed(OpaqueSize);
        bool attributesReady = false, actionsReady = false;
        byte* nativePath = null, nativeDevNull = null, nativeCwd = null;
        using var nativeArgv = new NativeStringArray([file, .. options.Arguments]);
        using var nativeEnv = new NativeStringArray([.. options.Environment.Select(static kv => kv.Key + "=" + kv.Value)]);
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

            nativePath = NativeStringArray.Allocate(file);
            nativeDevNull = NativeStringArray.Allocate("/dev/null");
            Check(Interop.Libc.PosixSpawnAttrInit(attributes), "posix_spawnattr_init");
            attributesReady = true;
            if (Interop.Libc.SigFillSet(defaultSignals) != 0 || Interop.Libc.SigEmptySet(mask) != 0)
            {
                throw Failure("build signal sets", Marshal.GetLastPInvokeError());
            }

            // The runtime blocks and handles signals (and ignores SIGPIPE); the child starts clean.
            Check(Interop.Libc.PosixSpawnAttrSetSigDefault(attributes, defaultSignals), "posix_spawnattr_setsigdefault");
            Check(Interop.Libc.PosixSpawnAttrSetSigMask(attributes, mask), "posix_spawnattr_setsigmask");
            Check(Interop.Libc.PosixSpawnAttrSetPGroup(attributes, 0), "posix_spawnattr_setpgroup");
            Check(
                Interop.Libc.PosixSpawnAttrSetFlags(attributes, (short)(SpawnSetPGroup | platform.SpawnSetSigDef | platform.SpawnSetSigMask)),
                "posix_spawnattr_setflags");

            Check(Interop.Libc.PosixSpawnFileActionsInit(actions), "posix_spawn_file_actions_init");
            actionsReady = true;
            if (stdin is null)
            {
                Check(Interop.Libc.PosixSpawnFileActionsAddOpen(actions, 0, nativeDevNull, ORdOnly, 0), "posix_spawn_file_actions_addopen");
            }
            else
            {
                Check(Interop.Libc.PosixSpawnFileActionsAddDup2(actions, Fd(stdin.ClientSafePipeHandle), 0), "posix_spawn_file_actions_adddup2");
            }

            Check(Interop.Libc.PosixSpawnFileActionsAddDup2(actions, Fd(stdout.ClientSafePipeHandle), 1), "posix_spawn_file_actions_adddup2");
            Check(Interop.Libc.PosixSpawnFileActionsAddDup2(actions, Fd(stderr.ClientSafePipeHandle), 2), "posix_spawn_file_actions_adddup2");
            if (options.WorkingDirectory is { } cwd)
            {
                nativeCwd = NativeStringArray.Allocate(cwd);
                Check(Interop.Libc.PosixSpawnFileActionsAddChdirNp(actions, nativeCwd), "posix_spawn_file_actions_addchdir_np");
            }

            int pid;
            var error = Interop.Libc.PosixSpawn(&pid, nativePath, actions, attributes, nativeArgv.Pointer, nativeEnv.Pointer);
            if (error != 0)
            {
                // glibc reports a failed exec (or chdir) here and has already reaped the child.
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

            if (actionsReady)
            {
                _ = Interop.Libc.PosixSpawnFileActionsDestroy(actions);
            }

            if (attributesReady)
            {
                _ = Interop.Libc.PosixSpawnAttrDestroy(attributes);
            }

            NativeMemory.Free((void*)attributes);
            NativeMemory.Free((void*)actions);
            NativeMemory.Free((void*)defaultSignals);
            NativeMemory.Free((void*)mask);
            NativeMemory.Free(nativePath);
            NativeMemory.Free(nativeDevNull);
            NativeMemory.Free(nativeCwd);
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
