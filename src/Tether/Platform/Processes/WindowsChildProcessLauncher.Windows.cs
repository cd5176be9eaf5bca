using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Processes;

/// <summary>
/// Starts admin commands on Windows (docs/protocol.md §4): CreateProcessW with stdin, stdout and stderr
/// on anonymous pipes, in a job object of its own (<see cref="WindowsProcessStarter"/>), so a
/// timeout ends the whole tree with TerminateJobObject.
/// </summary>
/// <remarks>
/// <para>Handle leaks: the pipes are created non-inheritable; only the child's three ends are
/// made inheritable, right before CreateProcess, and PROC_THREAD_ATTRIBUTE_HANDLE_LIST limits
/// inheritance to exactly them, so the child gets nothing else of ours. They are closed right
/// after. In that short window a CreateProcess elsewhere in the agent that inherits every
/// inheritable handle (System.Diagnostics.Process does) could pick them up; such a process
/// would then hold this command's output open until it exits.</para>
/// <para>The program is resolved in the PATH/PATHEXT of the child's environment
/// (<see cref="WindowsExecutableLookup"/>) and started by full path, so CreateProcess searches
/// nothing itself. A batch file gets no arguments: cmd.exe would parse them again with rules
/// no quoting covers (the "BatBadBut" class of bugs). Console children get CREATE_NO_WINDOW: a
/// hidden console of their own rather than the agent's. When stdin is not redirected it is a
/// pipe whose write end is closed at once, so the child reads EOF.</para>
/// <para>The streams are unbuffered FileStreams over the synchronous pipe handles: reads and
/// writes run on pool threads and a cancelled read does not interrupt one already blocked.
/// Output still always ends: every process that holds a write end is in the job (it allows no
/// breakaway), and <see cref="IChildProcess.KillTree"/> or Dispose terminates the job.
/// Thread-safe: stateless.</para>
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsChildProcessLauncher : IChildProcessLauncher
{
    public IChildProcess Start(ChildProcessStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.File) || options.File.Contains('\0', StringComparison.Ordinal))
        {
            throw new ChildProcessException("cannot start: the program name is empty or contains NUL");
        }

        var file = WindowsExecutableLookup.Resolve(
            options.File,
            WindowsEnvironmentBlock.Find(options.Environment, "PATH"),
            WindowsEnvironmentBlock.Find(options.Environment, "PATHEXT"),
            File.Exists,
            [Environment.SystemDirectory])
            ?? throw new ChildProcessException($"cannot start '{options.File}': no such executable file in PATH");
        if (WindowsCommandLine.IsBatchFile(file) && options.Arguments.Count > 0)
        {
            throw new ChildProcessException($"cannot start '{options.File}': arguments cannot be passed safely to a batch file");
        }

        if (options.WorkingDirectory is { } cwd && !Directory.Exists(cwd))
        {
            throw new ChildProcessException($"cannot start '{options.File}': working directory '{cwd}' does not exist");
        }

        string commandLine;
        char[] environment;
        try
        {
            commandLine = WindowsCommandLine.Build(file, options.Arguments);
            environment = WindowsEnvironmentBlock.Build(options.Environment);
        }
        catch (ArgumentException e)
        {
            throw new ChildProcessException($"cannot start '{options.File}': {e.Message}", e);
        }

        return Launch(file, commandLine, environment, options);
    }

    private static WindowsChildProcess Launch(string file, string commandLine, char[] environment, ChildProcessStartOptions options)
    {
        SafeFileHandle? stdinRead = null, stdinWrite = null, stdoutRead = null, stdoutWrite = null, stderrRead = null, stderrWrite = null;
        FileStream? stdout = null, stderr = null, stdin = null;
        WindowsProcessStarter.Started? started = null;
        try
        {
            var noInherit = new Interop.Kernel32.SecurityAttributes { nLength = Marshal.SizeOf<Interop.Kernel32.SecurityAttributes>() };
            if (!Interop.Kernel32.CreatePipe(out stdinRead, out stdinWrite, noInherit, 0)
                || !Interop.Kernel32.CreatePipe(out stdoutRead, out stdoutWrite, noInherit, 0)
                || !Interop.Kernel32.CreatePipe(out stderrRead, out stderrWrite, noInherit, 0))
            {
                throw Failure("CreatePipe", Marshal.GetLastPInvokeError());
            }

            started = StartWithHandles(file, commandLine, environment, options.WorkingDirectory, stdinRead, stdoutWrite, stderrWrite);

            // The child has its copies; ours would hold EOF back (and must not be inherited by
            // anything started later).
            stdinRead.Dispose();
            stdoutWrite.Dispose();
            stderrWrite.Dispose();
            if (!options.RedirectStandardInput)
            {
                stdinWrite.Dispose();
            }

            stdout = new FileStream(stdoutRead, FileAccess.Read, bufferSize: 0, isAsync: false);
            stderr = new FileStream(stderrRead, FileAccess.Read, bufferSize: 0, isAsync: false);
            stdin = options.RedirectStandardInput ? new FileStream(stdinWrite, FileAccess.Write, bufferSize: 0, isAsync: false) : null;
            return new WindowsChildProcess(started.Process, started.Job, started.Pid, stdout, stderr, stdin);
        }
        catch (Exception e)
        {
            // Closing the job ends the child if it was started.
            started?.Job.Dispose();
            started?.Process.Dispose();
            stdout?.Dispose();
            stderr?.Dispose();
            stdin?.Dispose();
            stdinRead?.Dispose();
            stdinWrite?.Dispose();
            stdoutRead?.Dispose();
            stdoutWrite?.Dispose();
            stderrRead?.Dispose();
            stderrWrite?.Dispose();
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new ChildProcessException($"cannot start '{options.File}': {e.Message}", e);
            }

            throw;
        }
    }

    private static WindowsProcessStarter.Started StartWithHandles(
        string file,
        string commandLine,
        char[] environment,
        string? workingDirectory,
        SafeFileHandle stdin,
        SafeFileHandle stdout,
        SafeFileHandle stderr)
    {
        SafeFileHandle[] childEnds = [stdin, stdout, stderr];
        var added = new List<SafeFileHandle>(childEnds.Length);
        try
        {
            foreach (var handle in childEnds)
            {
                var ok = false;
                handle.DangerousAddRef(ref ok);
                added.Add(handle);
                if (!Interop.Kernel32.SetHandleInformation(handle, Interop.Kernel32.HANDLE_FLAG_INHERIT, Interop.Kernel32.HANDLE_FLAG_INHERIT))
                {
                    throw Failure("SetHandleInformation", Marshal.GetLastPInvokeError());
                }
            }

            var values = new nint[] { stdin.DangerousGetHandle(), stdout.DangerousGetHandle(), stderr.DangerousGetHandle() };
            using var attributes = new ProcThreadAttributeList(1, Failure);
            attributes.AddHandleList(values);
            return WindowsProcessStarter.Start(
                file,
                commandLine,
                environment,
                workingDirectory,
                attributes,
                new WindowsProcessStarter.StandardHandles(values[0], values[1], values[2]),
                inheritHandles: true,
                Interop.Kernel32.CREATE_NO_WINDOW,
                Failure);
        }
        finally
        {
            foreach (var handle in added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static ChildProcessException Failure(string what, int error) =>
        new($"spawn: {what} failed: {Marshal.GetPInvokeErrorMessage(error)} (error {error.ToString(CultureInfo.InvariantCulture)})");
}
