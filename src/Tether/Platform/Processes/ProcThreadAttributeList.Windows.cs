using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Tether.Platform.Pty;

namespace Tether.Platform.Processes;

/// <summary>
/// Owns a PROC_THREAD_ATTRIBUTE_LIST and the native memory its values point at, which must
/// stay valid until CreateProcess returns: dispose only after that.
/// </summary>
/// <remarks>Not thread-safe; one per CreateProcess call.</remarks>
[SupportedOSPlatform("windows")]
internal sealed class ProcThreadAttributeList : IDisposable
{
    private const int ErrorInsufficientBuffer = 122;

    private readonly Func<string, int, Exception> _failure;
    private nint _list;
    private bool _initialized;
    private nint _handleArray;

    /// <summary>Allocates and initializes a list with room for <paramref name="count"/> attributes.</summary>
    /// <param name="failure">Builds the exception for a failed call from its name and Win32 error.</param>
    internal unsafe ProcThreadAttributeList(int count, Func<string, int, Exception> failure)
    {
        _failure = failure;
        nuint size = 0;
        if (Interop.Kernel32.InitializeProcThreadAttributeList(0, count, 0, ref size))
        {
            throw failure("InitializeProcThreadAttributeList (size)", 0);
        }

        var error = Marshal.GetLastPInvokeError();
        if (error != ErrorInsufficientBuffer || size == 0)
        {
            throw failure("InitializeProcThreadAttributeList (size)", error);
        }

        _list = (nint)NativeMemory.AllocZeroed(size);
        try
        {
            if (!Interop.Kernel32.InitializeProcThreadAttributeList(_list, count, 0, ref size))
            {
                throw failure("InitializeProcThreadAttributeList", Marshal.GetLastPInvokeError());
            }

            _initialized = true;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The LPPROC_THREAD_ATTRIBUTE_LIST for <c>STARTUPINFOEXW.lpAttributeList</c>.</summary>
    internal nint Pointer => _list;

    /// <summary>Attaches the child to <paramref name="pseudoConsole"/>, which must outlive the CreateProcess call.</summary>
    internal void AddPseudoConsole(SafePseudoConsoleHandle pseudoConsole)
    {
        // The attribute's value is the HPCON itself, not a pointer to it.
        Update(Interop.Kernel32.PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, pseudoConsole.DangerousGetHandle(), (nuint)nint.Size);
    }

    /// <summary>
    /// Restricts inheritance to <paramref name="handles"/> (each inheritable, no duplicates); the
    /// caller keeps them open until CreateProcess has returned.
    /// </summary>
    internal unsafe void AddHandleList(ReadOnlySpan<nint> handles)
    {
        if (_handleArray != 0)
        {
            throw new InvalidOperationException("The handle list is already set.");
        }

        var bytes = (nuint)(handles.Length * nint.Size);
        _handleArray = (nint)NativeMemory.Alloc(bytes);
        handles.CopyTo(new Span<nint>((void*)_handleArray, handles.Length));
        Update(Interop.Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST, _handleArray, bytes);
    }

    public unsafe void Dispose()
    {
        if (_initialized)
        {
            Interop.Kernel32.DeleteProcThreadAttributeList(_list);
            _initialized = false;
        }

        if (_list != 0)
        {
            NativeMemory.Free((void*)_list);
            _list = 0;
        }

        if (_handleArray != 0)
        {
            NativeMemory.Free((void*)_handleArray);
            _handleArray = 0;
        }
    }

    private void Update(nuint attribute, nint value, nuint size)
    {
        ObjectDisposedException.ThrowIf(!_initialized, this);
        if (!Interop.Kernel32.UpdateProcThreadAttribute(_list, 0, attribute, value, size, 0, 0))
        {
            throw _failure("UpdateProcThreadAttribute", Marshal.GetLastPInvokeError());
        }
    }
}
