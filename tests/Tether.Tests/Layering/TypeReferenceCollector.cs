using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Tether.Tests.Layering;

/// <summary>
/// Reads a compiled assembly and lists, for each top-level type, the types it references:
/// base types, interfaces, field and method signatures, and every type, method and field token
/// in its method bodies (compiler-generated nested types count for their outermost type).
/// Reading IL rather than sources catches fully qualified names, global usings and crefs alike
/// (crefs are not compiled, so they do not count).
/// </summary>
internal sealed class TypeReferenceCollector
{
    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly MetadataReader _reader;
    private readonly NameProvider _names;

    private TypeReferenceCollector(MetadataReader reader)
    {
        _reader = reader;
        _names = new NameProvider(this);
    }

    /// <summary>Top-level type full name ("Ns.Type") → full names of the top-level types it references.</summary>
    public static Dictionary<string, HashSet<string>> Collect(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var collector = new TypeReferenceCollector(pe.GetMetadataReader());
        return collector.CollectAll(pe);
    }

    private Dictionary<string, HashSet<string>> CollectAll(PEReader pe)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var handle in _reader.TypeDefinitions)
        {
            var def = _reader.GetTypeDefinition(handle);
            string owner = NameOf(handle);
            if (owner.Length == 0 || owner == "<Module>")
            {
                continue;
            }

            if (!result.TryGetValue(owner, out var refs))
            {
                refs = new HashSet<string>(StringComparer.Ordinal);
                result[owner] = refs;
            }

            _names.Target = refs;
            AddEntity(def.BaseType, refs);
            foreach (var i in def.GetInterfaceImplementations())
            {
                AddEntity(_reader.GetInterfaceImplementation(i).Interface, refs);
            }

            foreach (var f in def.GetFields())
            {
                _reader.GetFieldDefinition(f).DecodeSignature(_names, null);
            }

            foreach (var m in def.GetMethods())
            {
                var method = _reader.GetMethodDefinition(m);
                method.DecodeSignature(_names, null);
                if (method.RelativeVirtualAddress != 0)
                {
                    ScanBody(pe.GetMethodBody(method.RelativeVirtualAddress), refs);
                }
            }
        }

        return result;
    }

    private void ScanBody(MethodBodyBlock body, HashSet<string> refs)
    {
        if (!body.LocalSignature.IsNil)
        {
            _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_names, null);
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il.ReadByte());
            }

            var op = s_opCodes[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    AddEntity(MetadataTokens.EntityHandle(il.ReadInt32()), refs);
                    break;
                case OperandType.InlineSwitch:
                    int targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
    }

    private void AddEntity(EntityHandle handle, HashSet<string> refs)
    {
        if (handle.IsNil)
        {
            return;
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.TypeReference:
                refs.Add(NameOf(handle));
                break;
            case HandleKind.TypeSpecification:
                _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_names, null);
                break;
            case HandleKind.MethodDefinition:
                AddEntity(_reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType(), refs);
                break;
            case HandleKind.FieldDefinition:
                AddEntity(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType(), refs);
                break;
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                AddEntity(member.Parent, refs);
                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    member.DecodeMethodSignature(_names, null);
                }
                else
                {
                    member.DecodeFieldSignature(_names, null);
                }

                break;
            case HandleKind.MethodSpecification:
                var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                AddEntity(spec.Method, refs);
                spec.DecodeSignature(_names, null);
                break;
        }
    }

    /// <summary>The full name of the outermost type a definition or reference belongs to.</summary>
    private string NameOf(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeDefinition)
        {
            var def = _reader.GetTypeDefinition((TypeDefinitionHandle)handle);
            var outer = def.GetDeclaringType();
            return outer.IsNil ? Join(def.Namespace, def.Name) : NameOf(outer);
        }

        var reference = _reader.GetTypeReference((TypeReferenceHandle)handle);
        return reference.ResolutionScope.Kind == HandleKind.TypeReference
            ? NameOf((EntityHandle)reference.ResolutionScope)
            : Join(reference.Namespace, reference.Name);
    }

    private string Join(StringHandle ns, StringHandle name)
    {
        string n = _reader.GetString(name);
        return ns.IsNil || _reader.GetString(ns).Length == 0 ? n : _reader.GetString(ns) + "." + n;
    }

    /// <summary>Decodes signatures only for their side effect: every named type lands in <see cref="Target"/>.</summary>
    private sealed class NameProvider(TypeReferenceCollector owner) : ISignatureTypeProvider<object?, object?>
    {
        public HashSet<string> Target { get; set; } = [];

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Add(handle);

        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Add(handle);

        public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

        public object? GetSZArrayType(object? elementType) => null;

        public object? GetArrayType(object? elementType, ArrayShape shape) => null;

        public object? GetByReferenceType(object? elementType) => null;

        public object? GetPointerType(object? elementType) => null;

        public object? GetPinnedType(object? elementType) => null;

        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;

        public object? GetGenericTypeParameter(object? genericContext, int index) => null;

        public object? GetGenericMethodParameter(object? genericContext, int index) => null;

        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;

        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;

        private object? Add(EntityHandle handle)
        {
            Target.Add(owner.NameOf(handle));
            return null;
        }
    }
}
