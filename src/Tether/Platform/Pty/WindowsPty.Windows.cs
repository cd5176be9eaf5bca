using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Tether.Platform.Processes;

namespace Tether.Platform.Pty;

/// <summary>
/// Pseudo-terminals on Windows: ConPTY (<c>CreatePseudoConsole</c>, Windows 10 1809+) with the
/// shell started through <see cref="WindowsProcessStarter"/> into a job object of its own, so
/// the whole tree can be ended (docs/field-notes.md "Windows ConPTY").
/// </summary>
/// <remarks>
/// Where kernel32 lacks the ConPTY functions, <see cref="Start"/> throws
/// <see cref="PtyUnavailableException"/>. Thread-safe: holds no state.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WindowsPty : IPty
{
    private static readonly Lazy<bool> ConPtyProbe = new(ProbeConPty);

    /// <summary>
    /// True when kernel32 exports the ConPTY functions. Checked before the first call: the
    /// imports are bound lazily (NativeAOT binds on first use too; none of them is in its
    /// direct-call list), so a missing export must never be reached.
    /// </summary>
    internal static bool IsConPtyAvailable => ConPtyProbe.Value;

    public IPtySession Start(PtyStartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!IsConPtyAvailable)
        {
            throw new PtyUnavailableException("ConPTY (CreatePseudoConsole, Windows 10 1809 or later) is not available on this system.");
        }

        var environment = WindowsEnvironmentBlock.Split(options.Environment).ToList();
        var file = WindowsExecutableLookup.Resolve(
            options.File,
            // PtyStartOptions.File: the agent's own PATH when the list has none.
            WindowsEnvironmentBlock.Find(environment, "PATH") ?? Environment.GetEnvironmentVariable("PATH"),
            WindowsEnvironmentBlock.Find(environment, "PATHEXT"),
            File.Exists,
            [Environment.SystemDirectory])
            ?? throw new PtyException($"Cannot start '{options.File}': no such executable file.");
        if (!Directory.Exists(options.WorkingDirectory))
        {
            throw new PtyException($"Cannot start '{options.File}': working directory '{options.WorkingDirectory}' does not exist.");
        }

        string commandLine;
        char[] block;
        try
        {
            commandLine = WindowsCommandLine.Build(file, options.Arguments);
            block = WindowsEnvironmentBlock.Build(environment);
        }
        catch (ArgumentException e)
        {
            throw new PtyException($"Cannot start '{options.File}': {e.Message}", e);
        }

        return StartConsole(file, commandLine, block, options);
    }

    private static WindowsPtySession StartConsole(string file, string commandLine, char[] environment, PtyStartOptions options)
    {
        SafeFileHandle? inputRead = null, inputWrite = null, outputRead = null, outputWrite = null;
        SafePseudoConsoleHandle? console = null;
        WindowsProcessStarter.Started? started = null;
        try
        {
            var noInherit = new Interop.Kernel32.SecurityAttributes { nLength = Marshal.SizeOf<Interop.Kernel32.SecurityAttributes>() };
            if (!Interop.Kernel32.CreatePipe(out inputRead, out inputWrite, noInherit, 0)
                || !Interop.Kernel32.CreatePipe(out outputRead, out outputWrite, noInherit, 0))
            {
                throw Failure("CreatePipe", Marshal.GetLastPInvokeError());
            }

            var result = Interop.Kernel32.CreatePseudoConsole(
                new Interop.Kernel32.Coord((short)options.Columns, (short)options.Rows),
                inputRead,
                outputWrite,
                0,
                out console);
            if (result < 0)
            {
                throw Failure("CreatePseudoConsole", result);
            }

            // The console host holds its own duplicates; ours would keep the output pipe from
            // ever reporting EOF once the host is gone.
            inputRead.Dispose();
            outputWrite.Dispose();

            using (var attributes = new ProcThreadAttributeList(1, Failure))
            {
                attributes.AddPseudoConsole(console);
                started = WindowsProcessStarter.Start(
                    file,
                    commandLine,
                    environment,
                    options.WorkingDirectory,
                    attributes,
                    standardHandles: null,
                    inheritHandles: false,
                    extraFlags: 0,
                    Failure);
            }

            return new WindowsPtySession(console, inputWrite, outputRead, started.Job, started.Process, started.Pid);
        }
        catch
        {
            // Closing the job ends the shell if it was started. The output read end goes before
            // the console, so a ClosePseudoConsole that waits for its last frame to be read
            // sees a broken pipe instead of blocking.
            started?.Job.Dispose();
            started?.Process.Dispose();
            inputWrite?.Dispose();
            outputRead?.Dispose();
            inputRead?.Dispose();
            outputWrite?.Dispose();
            console?.Dispose();
            throw;
        }
    }

    private static bool ProbeConPty()
    {
        if (!NativeLibrary.TryLoad("kernel32.dll", out var kernel32))
        {
            return false;
        }

        // kernel32 is never unloaded; the load reference is not released on purpose.
        return NativeLibrary.TryGetExport(kernel32, "CreatePseudoConsole", out _)
            && NativeLibrary.TryGetExport(kernel32, "ResizePseudoConsole", out _)
            && NativeLibrary.TryGetExport(kernel32, "ClosePseudoConsole", out _);
    }

    private static PtyException Failure(string what, int error) =>
        new($"Pseudo-console: {what} failed: {Marshal.GetPInvokeErrorMessage(error)} (0x{error.ToString("X8", CultureInfo.InvariantCulture)}).", error);
}
