using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Common;
using Tether.Platform.Processes;

namespace Tether.Platform.Pty;

/// <summary>
/// Pseudo-terminals on Linux and macOS: <c>posix_openpt</c> for the master, <c>posix_spawn</c>
/// for the child (never fork from managed code: the runtime's other threads would be missing
/// in the child; docs/field-notes.md "PTYs from .NET on Unix").
/// </summary>
/// <remarks>Thread-safe; holds no state besides the platform constants.</remarks>
[SupportedOSPlatform("linux")]
[SupportedOSPlatform("macos")]
internal sealed partial class UnixPty : IPty
{
    private readonly UnixPlatform _platform;
    private readonly bool _childReopensSlave;

    internal UnixPty(UnixPlatform platform)
        : this(platform, childReopensSlave: platform.IsMacOS)
    {
    }

    /// <param name="platform">This OS's numbers.</param>
    /// <param name="childReopensSlave">
    /// The macOS way (tests also run it on Linux): the agent opens the slave itself, the child
    /// gets it as 0/1/2 and a <c>/bin/sh</c> wrapper opens it again after setsid so it becomes
    /// the controlling terminal. Needed on macOS because xnu runs spawn file actions before
    /// setsid (kern_exec.c), refuses TIOCSWINSZ on the master with ENOTTY until the slave has
    /// been opened once (tty_dev.c ptyioctl, TS_IOCTL_NOT_OK) and zeroes the window size on the
    /// slave's first open (tty.c ttyopen): the slave must be open, and stay open, before the size is set.
    /// </param>
    internal UnixPty(UnixPlatform platform, bool childReopensSlave)
    {
        _platform = platform;
        _childReopensSlave = childReopensSlave;
    }

    public IPtySession Start(PtyStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var file = ExecutableLookup.Resolve(options.File, ChildPath(options.Environment))
            ?? throw new PtyException($"Cannot start '{options.File}': no such executable file.", _platform.ENoEnt);
        if (!Directory.Exists(options.WorkingDirectory))
        {
            throw new PtyException($"Cannot start '{options.File}': working directory '{options.WorkingDirectory}' does not exist.", _platform.ENoEnt);
        }

        var master = OpenMaster(out var slavePath);
        SafeFileHandle? slave = null;
        try
        {
            // Held until the child has its own copies (posix_spawn returns after the file
            // actions ran), so the tty is never closed in between and keeps its size.
            slave = _childReopensSlave ? OpenSlave(slavePath) : null;
            Check(UnixFd.SetWindowSize(_platform, master, options.Columns, options.Rows), "set the window size");
            var pid = Spawn(file, options, slavePath, slave);
            return new UnixPtySession(_platform, master, pid);
        }
        catch
        {
            master.Dispose();
            throw;
        }
        finally
        {
            slave?.Dispose();
        }
    }

    /// <summary>Opens the slave without making it the agent's controlling terminal; CLOEXEC so no other child inherits it.</summary>
    private SafeFileHandle OpenSlave(string slavePath)
    {
        var fd = Interop.Libc.Open(slavePath, _platform.ORdWr | _platform.ONoCtty | _platform.OCloExec);
        if (fd < 0)
        {
            throw Failure("open the slave " + slavePath, Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private SafeFileHandle OpenMaster(out string slavePath)
    {
        // O_CLOEXEC is atomic here (glibc and macOS Libc, stdlib/grantpt.c, pass the flags to
        // open), so a child that System.Diagnostics.Process forks on another thread in the
        // meantime never inherits the master.
        var flags = _platform.ORdWr | _platform.ONoCtty | _platform.OCloExec;
        var master = Interop.Libc.PosixOpenpt(flags);
        if (master.IsInvalid)
        {
            var error = Marshal.GetLastPInvokeError();
            master.Dispose();
            throw Failure("open a pseudo-terminal", error);
        }

        try
        {
            if (Interop.Libc.Grantpt(master) != 0)
            {
                throw Failure("grantpt", Marshal.GetLastPInvokeError());
            }

            if (Interop.Libc.Unlockpt(master) != 0)
            {
                throw Failure("unlockpt", Marshal.GetLastPInvokeError());
            }

            slavePath = GetSlavePath(master);

            // Non-blocking so the reader thread can poll it together with its wake pipe and
            // writes can wait for POLLOUT instead of blocking (see UnixPtySession.Reader.cs).
            Check(UnixFd.AddFlag(_platform, master, _platform.FGetFl, _platform.FSetFl, _platform.ONonBlock), "set O_NONBLOCK");
            return master;
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    private unsafe string GetSlavePath(SafeFileHandle master)
    {
        const int Length = 128;
        var buffer = stackalloc byte[Length];

        // glibc returns the error number; macOS Libc returns -1 and sets errno (stdlib/grantpt.c).
        var result = Interop.Libc.PtsnameR(master, buffer, Length);
        Check(result == -1 ? Marshal.GetLastPInvokeError() : result, "ptsname_r");
        return Marshal.PtrToStringUTF8((nint)buffer) ?? throw Failure("ptsname_r", _platform.EIo);
    }

    private int Spawn(string file, PtyStartOptions options, string slavePath, SafeFileHandle? slave)
    {
        List<string> argv;
        var environment = new List<string>(options.Environment);
        string path;
        if (slave is not null)
        {
            // macOS applies file actions before setsid, so an opened slave would not become the
            // controlling terminal; a shell opens it after the new session exists instead
            // (docs/field-notes.md "PTYs from .NET on Unix"). The Linux tests run this path too (UnixPtyTests).
            path = "/bin/sh";
            argv = ["/bin/sh", "-c", "p=$TETHER_PTY; unset TETHER_PTY; exec \"$0\" \"$@\" <>\"$p\" >&0 2>&0", file, .. options.Arguments];
            environment.Add("TETHER_PTY=" + slavePath);
        }
        else
        {
            path = file;
            argv = [file, .. options.Arguments];
        }

        using var spawn = new PosixSpawnSetup(_platform, _platform.SpawnSetSid, processGroup: null, Failure);

        // Linux: opened after setsid, the slave becomes the controlling terminal.
        if (slave is not null)
        {
            spawn.AddDup2(checked((int)slave.DangerousGetHandle()), 0);
        }
        else
        {
            spawn.AddOpen(0, slavePath, _platform.ORdWr);
        }

        spawn.AddDup2(0, 1);
        spawn.AddDup2(0, 2);
        spawn.AddChdir(options.WorkingDirectory);
        int error = spawn.Spawn(path, argv, environment, out int pid);
        if (error != 0)
        {
            throw new PtyException(
                $"Cannot start '{options.File}': {Marshal.GetPInvokeErrorMessage(error)} (errno {error.ToString(CultureInfo.InvariantCulture)}).",
                error);
        }

        return pid;
    }

    /// <summary>The PATH of the child's environment, else the agent's own (lookup follows what the caller built).</summary>
    private static string? ChildPath(IReadOnlyList<string> environment)
    {
        string? path = null;
        foreach (var entry in environment)
        {
            if (entry.StartsWith("PATH=", StringComparison.Ordinal))
            {
                path = entry["PATH=".Length..];
            }
        }

        return path ?? System.Environment.GetEnvironmentVariable("PATH");
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw Failure(what, error);
        }
    }

    private static PtyException Failure(string what, int error) =>
        new($"Pseudo-terminal: {what} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error.ToString(CultureInfo.InvariantCulture)}).", error);
}
