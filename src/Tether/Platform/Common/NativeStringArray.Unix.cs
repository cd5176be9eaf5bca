using System.Runtime.InteropServices;
using System.Text;

namespace Tether.Platform.Common;

/// <summary>
/// A NULL-terminated array of NUL-terminated UTF-8 strings in native memory (argv/envp),
/// freed on dispose.
/// </summary>
/// <remarks>Not thread-safe; owned by one spawn call.</remarks>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private readonly byte** _array;
    private readonly int _count;
    private bool _disposed;

    internal NativeStringArray(IReadOnlyList<string> values)
    {
        _count = values.Count;
        _array = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < _count; i++)
        {
            _array[i] = Allocate(values[i]);
        }
    }

    internal byte** Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _array;
        }
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="value"/>; free it with <see cref="NativeMemory.Free"/>.</summary>
    internal static byte* Allocate(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.AllocZeroed((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, length));
        return buffer;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = 0; i < _count; i++)
        {
            NativeMemory.Free(_array[i]);
        }

        NativeMemory.Free(_array);
    }
}
