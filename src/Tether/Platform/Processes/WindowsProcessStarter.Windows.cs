using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Tether.Platform.Processes;

/// <summary>
/// One owner of the CreateProcessW sequence shared by the terminal and the command launcher:
/// a job object with KILL_ON_JOB_CLOSE, the child created suspended, assigned to the job, then
/// resumed, so the child and everything it starts is in the job before it runs a single
/// instruction (a child started before the assignment could escape it).
/// </summary>
/// <remarks>
/// On any failure every handle made here is closed and a created child is terminated, so
/// nothing is left behind. Thread-safe: stateless.
/// </remarks>
[SupportedOSPlatform("windows")]
internal static class WindowsProcessStarter
{
    /// <summary>What <see cref="Start"/> hands to its caller, who owns both handles.</summary>
    internal sealed record Started(SafeProcessHandle Process, SafeJobObjectHandle Job, int Pid);

    /// <summary>The child's standard handles (raw values of inheritable handles the caller keeps open).</summary>
    internal readonly record struct StandardHandles(nint Input, nint Output, nint Error);

    /// <summary>Starts <paramref name="application"/> suspended, puts it in a new job, resumes it.</summary>
    /// <param name="application">Fully qualified path (CreateProcess then searches nothing).</param>
    /// <param name="commandLine">The whole command line, argv[0] first (see <see cref="WindowsCommandLine"/>).</param>
    /// <param name="environment">A block from <see cref="WindowsEnvironmentBlock"/>.</param>
    /// <param name="workingDirectory">Existing directory, or null for the agent's own.</param>
    /// <param name="attributes">The attribute list for STARTUPINFOEXW (pseudo console or handle list).</param>
    /// <param name="standardHandles">
    /// Handles for STARTF_USESTDHANDLES. Null still sets the flag with null handles: a ConPTY
    /// child must not pick up the agent's own (possibly redirected) standard handles.
    /// </param>
    /// <param name="inheritHandles">bInheritHandles; true only together with a handle-list attribute.</param>
    /// <param name="extraFlags">More creation flags (CREATE_NO_WINDOW).</param>
    /// <param name="failure">Builds the caller's exception type from the failed step and the Win32 error.</param>
    internal static unsafe Started Start(
        string application,
        string commandLine,
        char[] environment,
        string? workingDirectory,
        ProcThreadAttributeList attributes,
        StandardHandles? standardHandles,
        bool inheritHandles,
        uint extraFlags,
        Func<string, int, Exception> failure)
    {
        var job = CreateKillOnCloseJob(failure);
        try
        {
            var startup = default(Interop.Kernel32.StartupInfoEx);
            startup.StartupInfo.cb = sizeof(Interop.Kernel32.StartupInfoEx);
            startup.StartupInfo.dwFlags = Interop.Kernel32.STARTF_USESTDHANDLES;
            if (standardHandles is { } std)
            {
                startup.StartupInfo.hStdInput = std.Input;
                startup.StartupInfo.hStdOutput = std.Output;
                startup.StartupInfo.hStdError = std.Error;
            }

            startup.lpAttributeList = attributes.Pointer;

            // CreateProcessW may write into the command line, so it gets a private copy.
            var command = new char[commandLine.Length + 1];
            commandLine.CopyTo(command);
            var flags = Interop.Kernel32.CREATE_SUSPENDED
                | Interop.Kernel32.CREATE_UNICODE_ENVIRONMENT
                | Interop.Kernel32.EXTENDED_STARTUPINFO_PRESENT
                | extraFlags;
            Interop.Kernel32.ProcessInformation info;
            bool created;
            fixed (char* commandPointer = command)
            fixed (char* environmentPointer = environment)
            {
                created = Interop.Kernel32.CreateProcess(
                    application,
                    commandPointer,
                    0,
                    0,
                    inheritHandles,
                    flags,
                    environmentPointer,
                    workingDirectory,
                    &startup,
                    out info);
            }

            if (!created)
            {
                throw failure("CreateProcess", Marshal.GetLastPInvokeError());
            }

            var process = new SafeProcessHandle(info.hProcess, ownsHandle: true);
            using var thread = new SafeWaitHandle(info.hThread, ownsHandle: true);
            try
            {
                if (!Interop.Kernel32.AssignProcessToJobObject(job, process))
                {
                    throw failure("AssignProcessToJobObject", Marshal.GetLastPInvokeError());
                }

                if (Interop.Kernel32.ResumeThread(thread) == uint.MaxValue)
                {
                    throw failure("ResumeThread", Marshal.GetLastPInvokeError());
                }
            }
            catch
            {
                // Still suspended (or in the job, which the caller's catch closes): it never ran.
                _ = Interop.Kernel32.TerminateProcess(process, 1);
                process.Dispose();
                throw;
            }

            return new Started(process, job, info.dwProcessId);
        }
        catch
        {
            job.Dispose();
            throw;
        }
    }

    private static SafeJobObjectHandle CreateKillOnCloseJob(Func<string, int, Exception> failure)
    {
        var job = Interop.Kernel32.CreateJobObject(0, null);
        if (job.IsInvalid)
        {
            var error = Marshal.GetLastPInvokeError();
            job.Dispose();
            throw failure("CreateJobObject", error);
        }

        var limits = default(Interop.Kernel32.JobObjectExtendedLimitInformation);
        limits.BasicLimitInformation.LimitFlags = Interop.Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        if (!Interop.Kernel32.SetInformationJobObject(
                job,
                Interop.Kernel32.JobObjectExtendedLimitInformationClass,
                limits,
                (uint)Marshal.SizeOf<Interop.Kernel32.JobObjectExtendedLimitInformation>()))
        {
            var error = Marshal.GetLastPInvokeError();
            job.Dispose();
            throw failure("SetInformationJobObject", error);
        }

        return job;
    }
}
