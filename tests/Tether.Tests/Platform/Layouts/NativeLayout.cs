namespace Tether.Tests.Platform.Layouts;

/// <summary>
/// Computes a C struct's layout the way MSVC does for the Windows ABIs (each field at the next
/// multiple of its alignment, the size rounded up to the largest alignment; 8-byte integers
/// are 8-aligned on x86 too), for a given pointer size. Lets the layout tests state the 32-bit
/// sizes as a formula and check them on this 64-bit machine.
/// </summary>
internal readonly record struct NativeLayout(int Size, int Alignment, int[] Offsets)
{
    /// <summary>WORD / SHORT.</summary>
    public static Field Word => new(2, 2);

    /// <summary>DWORD / BOOL / UINT.</summary>
    public static Field Dword => new(4, 4);

    /// <summary>ULONGLONG / LARGE_INTEGER (8-aligned on x86 too).</summary>
    public static Field Qword => new(8, 8);

    public static Field Pointer(int pointerSize) => new(pointerSize, pointerSize);

    public static NativeLayout Of(params Field[] fields)
    {
        var offset = 0;
        var alignment = 1;
        var offsets = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            offset = Round(offset, fields[i].Alignment);
            offsets[i] = offset;
            offset += fields[i].Size;
            alignment = Math.Max(alignment, fields[i].Alignment);
        }

        return new NativeLayout(Round(offset, alignment), alignment, offsets);
    }

    public Field AsField() => new(Size, Alignment);

    private static int Round(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    internal readonly record struct Field(int Size, int Alignment);
}
