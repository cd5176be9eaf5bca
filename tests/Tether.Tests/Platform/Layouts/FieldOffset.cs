using System.Runtime.CompilerServices;

namespace Tether.Tests.Platform.Layouts;

/// <summary>Byte offsets of struct fields as the runtime lays them out, for the layout tests of hand-declared native structs.</summary>
internal static class FieldOffset
{
    public delegate ref TField FieldOf<TStruct, TField>(ref TStruct value);

    public static long Of<TStruct, TField>(TStruct value, FieldOf<TStruct, TField> field)
    {
        ref TField target = ref field(ref value);
        return (long)Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref value), ref Unsafe.As<TField, byte>(ref target));
    }
}
