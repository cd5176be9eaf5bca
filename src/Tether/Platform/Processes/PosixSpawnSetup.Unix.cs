using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Common;

namespace Tether.Platform.Processes;

/// <summary>
/// The native state of one <c>posix_spawn</c> call, shared by the PTY and the command launcher:
/// attributes that start the child with every signal at its default and none blocked (the
/// runtime blocks and handles signals in this process; the child must not inherit that), the
/// caller's extra flags, and a file-action list the caller fills. On macOS only the fds the
/// file actions name are inherited (POSIX_SPAWN_CLOEXEC_DEFAULT). Never fork from managed code.
/// Not thread-safe: one caller builds, spawns and disposes it.
/// </summary>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed unsafe class PosixSpawnSetup : IDisposable
{
    // posix_spawnattr_t, posix_spawn_file_actions_t and sigset_t are opaque with per-libc sizes
    // (glibc x64: 336, 80, 128 bytes; macOS: one pointer): generous zeroed buffers fit them all,
    // 32-bit included.
    private const int OpaqueSize = 1024;

    private readonly Func<string, int, Exception> _failure;
    private readonly nint _attributes = (nint)NativeMemory.AllocZeroed(OpaqueSize);
    private readonly nint _actions = (nint)NativeMemory.AllocZeroed(OpaqueSize);
    private readonly nint _defaultSignals = (nint)NativeMemory.AllocZeroed(OpaqueSize);
    private readonly nint _mask = (nint)NativeMemory.AllocZeroed(OpaqueSize);
    private readonly List<nint> _strings = [];
    private bool _attributesReady;
    private bool _actionsReady;
    private bool _disposed;

    /// <param name="platform">This OS's flag values.</param>
    /// <param name="extraFlags">E.g. <c>POSIX_SPAWN_SETSID</c> or <c>POSIX_SPAWN_SETPGROUP</c>.</param>
    /// <param name="processGroup">With SETPGROUP: the group to join (0 = a new one led by the child).</param>
    /// <param name="failure">Turns a failed step and its errno into the caller's exception type.</param>
    public PosixSpawnSetup(UnixPlatform platform, int extraFlags, int? processGroup, Func<string, int, Exception> failure)
    {
        _failure = failure;
        try
        {
            Check(Interop.Libc.PosixSpawnAttrInit(_attributes), "posix_spawnattr_init");
            _attributesReady = true;
            if (Interop.Libc.SigFillSet(_defaultSignals) != 0 || Interop.Libc.SigEmptySet(_mask) != 0)
            {
                throw failure("build signal sets", Marshal.GetLastPInvokeError());
            }

            Check(Interop.Libc.PosixSpawnAttrSetSigDefault(_attributes, _defaultSignals), "posix_spawnattr_setsigdefault");
            Check(Interop.Libc.PosixSpawnAttrSetSigMask(_attributes, _mask), "posix_spawnattr_setsigmask");
            if (processGroup is { } group)
            {
                Check(Interop.Libc.PosixSpawnAttrSetPGroup(_attributes, group), "posix_spawnattr_setpgroup");
            }

            Check(
                Interop.Libc.PosixSpawnAttrSetFlags(_attributes, (short)(extraFlags | platform.SpawnSetSigDef | platform.SpawnSetSigMask | platform.SpawnCloExecDefault)),
                "posix_spawnattr_setflags");
            Check(Interop.Libc.PosixSpawnFileActionsInit(_actions), "posix_spawn_file_actions_init");
            _actionsReady = true;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void AddOpen(int fd, string path, int flags) =>
        Check(Interop.Libc.PosixSpawnFileActionsAddOpen(_actions, fd, Keep(path), flags, 0), "posix_spawn_file_actions_addopen");

    public void AddDup2(int fd, int newFd) =>
        Check(Interop.Libc.PosixSpawnFileActionsAddDup2(_actions, fd, newFd), "posix_spawn_file_actions_adddup2");

    public void AddChdir(string directory) =>
        Check(Interop.Libc.PosixSpawnFileActionsAddChdirNp(_actions, Keep(directory)), "posix_spawn_file_actions_addchdir_np");

    /// <returns>0 with <paramref name="pid"/> set, or posix_spawn's error number (glibc reports a failed exec or chdir here and has already reaped the child).</returns>
    public int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, out int pid)
    {
        using var nativeArgv = new NativeStringArray(argv);
        using var nativeEnv = new NativeStringArray(environment);
        int child;
        int error = Interop.Libc.PosixSpawn(&child, Keep(path), _actions, _attributes, nativeArgv.Pointer, nativeEnv.Pointer);
        pid = child;
        return error;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_actionsReady)
        {
            _ = Interop.Libc.PosixSpawnFileActionsDestroy(_actions);
            _actionsReady = false;
        }

        if (_attributesReady)
        {
            _ = Interop.Libc.PosixSpawnAttrDestroy(_attributes);
            _attributesReady = false;
        }

        NativeMemory.Free((void*)_attributes);
        NativeMemory.Free((void*)_actions);
        NativeMemory.Free((void*)_defaultSignals);
        NativeMemory.Free((void*)_mask);
        foreach (var s in _strings)
        {
            NativeMemory.Free((void*)s);
        }

        _strings.Clear();
    }

    private byte* Keep(string value)
    {
        byte* native = NativeStringArray.Allocate(value);
        _strings.Add((nint)native);
        return native;
    }

    private void Check(int error, string what)
    {
        if (error != 0)
        {
            throw _failure(what, error);
        }
    }
}
