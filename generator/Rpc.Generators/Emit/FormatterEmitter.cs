using System.Collections.Generic;
using System.Linq;
using Rpc.Generators.Model;

namespace Rpc.Generators.Emit;

/// <summary>Emits the formatter class of one user type: an object, version-tolerant, circular-reference or union layout.</summary>
internal static class FormatterEmitter
{
    private const string Reader = "global::Rpc.Serialization.RpcReader";
    private const string Writer = "global::Rpc.Serialization.RpcWriter";
    private const string Exception = "global::Rpc.Serialization.RpcSerializationException";

    public static string Emit(FormatterSpec spec)
    {
        SourceWriter w = SourceWriter.CreateFile();
        w.Line("#nullable enable");
        w.Line("#pragma warning disable CS1591 // generated members need no docs");
        w.Line();
        bool hasNamespace = spec.Namespace.Length > 0;
        if (hasNamespace)
        {
            w.Open($"namespace {spec.Namespace}");
        }
        foreach (ContainingTypeSpec container in spec.ContainingTypes)
        {
            w.Open($"{container.Keyword} {container.NameWithTypeParameters}");
        }

        string valueType = spec.IsValueType ? spec.TypeFullName : spec.TypeFullName + "?";
        w.Line($"/// <summary>Reads and writes <see cref=\"{spec.TypeFullName.Replace('<', '{').Replace('>', '}')}\"/> in the MemoryPack wire format.</summary>");
        w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"Rpc.Generators\", \"{GeneratorInfo.Version}\")]");
        string declaration = spec.IsNested
            ? $"internal {(spec.HidesBaseFormatter ? "new " : string.Empty)}sealed class {spec.FormatterClassName} : global::Rpc.Serialization.RpcFormatter<{spec.TypeFullName}>"
            : $"internal sealed class {spec.FormatterClassName}{TypeParametersOnly(spec.TypeParameterList)} : global::Rpc.Serialization.RpcFormatter<{spec.TypeFullName}>{Constraints(spec.TypeParameterList)}";
        using (w.Block(declaration))
        {
            switch (spec.Kind)
            {
                case FormatterKind.Union:
                    EmitUnion(w, spec, valueType);
                    break;
                case FormatterKind.Object:
                    EmitObject(w, spec, valueType);
                    break;
                default:
                    EmitVersionTolerant(w, spec, valueType, circular: spec.Kind == FormatterKind.CircularReference);
                    break;
            }
            if (spec.Kind != FormatterKind.Union)
            {
                EmitListMembers(w, spec);
            }
        }

        for (int i = 0; i < spec.ContainingTypes.Count; i++)
        {
            w.Close();
        }
        if (hasNamespace)
        {
            w.Close();
        }
        return w.ToString();
    }

    private static string TypeParametersOnly(string list)
    {
        int where = list.IndexOf(" where ", System.StringComparison.Ordinal);
        return where < 0 ? list : list.Substring(0, where);
    }

    private static string Constraints(string list)
    {
        int where = list.IndexOf(" where ", System.StringComparison.Ordinal);
        return where < 0 ? string.Empty : list.Substring(where);
    }

    // ---- GenerateType.Object ----

    private static void EmitObject(SourceWriter w, FormatterSpec spec, string valueType)
    {
        int count = spec.Members.Count;
        using (w.Block($"public override void Serialize(ref {Writer} writer, scoped in {valueType} value)"))
        {
            if (!spec.IsValueType)
            {
                using (w.Block("if (value is null)"))
                {
                    w.Line("writer.WriteNullObjectHeader();");
                    w.Line("return;");
                }
            }
            List<List<MemberSpec>> runs = Runs(spec.Members).ToList();
            // The header is a raw byte: with a leading run of raw members (up to three) it shares their capacity check.
            bool headerJoinsRun = runs.Count > 0 && runs[0].Count <= 3 && runs[0].All(m => m.IsUnmanaged && !m.MayHavePadding);
            if (!headerJoinsRun)
            {
                w.Line($"writer.WriteObjectHeader({count});");
            }
            if (count > 0)
            {
                w.Line("writer.EnterDepth();");
                for (int i = 0; i < runs.Count; i++)
                {
                    List<MemberSpec> run = runs[i];
                    // Adjacent raw members share one capacity check.
                    w.Line(i == 0 && headerJoinsRun
                        ? $"writer.DangerousWriteUnmanaged<byte, {string.Join(", ", run.Select(m => m.TypeName))}>({count}, {string.Join(", ", run.Select(m => "value." + m.Name))});"
                        : run.Count == 1
                            ? WriteMember("writer", run[0])
                            : $"writer.DangerousWriteUnmanaged<{string.Join(", ", run.Select(m => m.TypeName))}>({string.Join(", ", run.Select(m => "value." + m.Name))});");
                }
                w.Line("writer.ExitDepth();");
            }
        }
        w.Line();
        using (w.Block($"public override {valueType} Deserialize(ref {Reader} reader)"))
        {
            using (w.Block("if (!reader.TryReadObjectHeader(out byte count))"))
            {
                w.Line("return default;");
            }
            using (w.Block($"if (count > {count})"))
            {
                w.Line($"throw new {Exception}($\"{Display(spec)} has {count} members but the payload has {{count}}; it was written by a newer version of the type.\");");
            }
            DeclareLocals(w, spec);
            if (count > 0)
            {
                w.Line("reader.EnterDepth();");
                foreach (List<MemberSpec> run in Runs(spec.Members))
                {
                    if (run.Count == 1)
                    {
                        w.Line($"if (count > {run[0].Slot}) {Local(run[0])} = {ReadMember("reader", run[0])};");
                        continue;
                    }
                    // Adjacent raw members share one bounds check when the payload has them all.
                    using (w.Block($"if (count > {run[run.Count - 1].Slot})"))
                    {
                        w.Line($"reader.DangerousReadUnmanaged({string.Join(", ", run.Select(m => "out " + Local(m)))});");
                    }
                    using (w.Block("else"))
                    {
                        foreach (MemberSpec member in run)
                        {
                            w.Line($"if (count > {member.Slot}) {Local(member)} = {ReadMember("reader", member)};");
                        }
                    }
                }
                w.Line("reader.ExitDepth();");
            }
            EmitConstruction(w, spec);
        }
    }

    private static void DeclareLocals(SourceWriter w, FormatterSpec spec)
    {
        foreach (MemberSpec member in spec.Members)
        {
            w.Line($"{member.TypeName} {Local(member)} = default!;");
        }
    }

    private static void EmitConstruction(SourceWriter w, FormatterSpec spec, bool versionTolerant = false)
    {
        string arguments = string.Join(", ", spec.ConstructorArguments.Select(name => "__" + name.TrimStart('@')));
        string[] initializers = spec.Members
            .Where(m => m.Assignment == MemberAssignment.Initializer)
            .Select(m => $"{m.Name} = {Local(m)}")
            .ToArray();
        string creation = $"new {spec.TypeFullName}({arguments})";
        if (initializers.Length > 0)
        {
            w.Line($"var __result = {creation}");
            w.Line("{");
            foreach (string initializer in initializers)
            {
                w.Line($"    {initializer},");
            }
            w.Line("};");
        }
        else
        {
            w.Line($"var __result = {creation};");
        }
        foreach (MemberSpec member in spec.Members.Where(m => m.Assignment == MemberAssignment.AfterConstruction))
        {
            // A member the payload lacks (or, version-tolerant, carries as a deleted zero-length slot) keeps its initializer.
            w.Line(versionTolerant
                ? $"if (count > {member.Slot} && __lengths[{member.Slot}] != 0) __result.{member.Name} = {Local(member)};"
                : $"if (count > {member.Slot}) __result.{member.Name} = {Local(member)};");
        }
        w.Line("return __result;");
    }

    // ---- GenerateType.VersionTolerant and CircularReference ----

    private static void EmitVersionTolerant(SourceWriter w, FormatterSpec spec, string valueType, bool circular)
    {
        int slots = spec.SlotCount;
        using (w.Block($"public override void Serialize(ref {Writer} writer, scoped in {valueType} value)"))
        {
            if (!spec.IsValueType)
            {
                using (w.Block("if (value is null)"))
                {
                    w.Line("writer.WriteNullObjectHeader();");
                    w.Line("return;");
                }
            }
            if (circular)
            {
                w.Line("(bool __existed, uint __id) = writer.References.GetOrAdd(value);");
                using (w.Block("if (__existed)"))
                {
                    w.Line("writer.WriteObjectReferenceId(__id);");
                    w.Line("return;");
                }
            }
            w.Line("// Each member is written to scratch first: its byte length goes in the header, before the values.");
            w.Line("global::Rpc.Serialization.PooledBufferWriter __scratch = global::Rpc.Serialization.RpcScratchBuffers.Rent();");
            using (w.Block("try"))
            {
                w.Line($"global::System.Span<int> __lengths = stackalloc int[{System.Math.Max(slots, 1)}];");
                w.Line($"{Writer} __members = writer.CreateNestedWriter(__scratch);");
                w.Line("__members.EnterDepth();");
                w.Line("int __start;");
                foreach (MemberSpec member in spec.Members)
                {
                    w.Line("__start = __members.WrittenCount;");
                    w.Line(WriteMember("__members", member));
                    w.Line($"__lengths[{member.Slot}] = __members.WrittenCount - __start;");
                }
                w.Line("__members.ExitDepth();");
                w.Line("__members.Flush();");
                w.Line($"writer.WriteObjectHeader({slots});");
                using (w.Block($"for (int i = 0; i < {slots}; i++)"))
                {
                    w.Line("writer.WriteVarInt((long)__lengths[i]);");
                }
                if (circular)
                {
                    w.Line("writer.WriteVarInt(__id);");
                }
                w.Line("writer.WriteRawBytes(__scratch.WrittenSpan);");
            }
            using (w.Block("finally"))
            {
                w.Line("global::Rpc.Serialization.RpcScratchBuffers.Return(__scratch);");
            }
        }
        w.Line();
        using (w.Block($"public override {valueType} Deserialize(ref {Reader} reader)"))
        {
            if (circular)
            {
                w.Line("byte count = reader.ReadObjectHeaderByte();");
                using (w.Block($"if (count == global::Rpc.Serialization.RpcWireCodes.NullObject)"))
                {
                    w.Line("return default;");
                }
                using (w.Block($"if (count == global::Rpc.Serialization.RpcWireCodes.ReferenceId)"))
                {
                    w.Line("uint __reference = reader.ReadVarIntUInt32();");
                    w.Line($"return reader.References.Get(__reference) as {spec.TypeFullName} ?? throw new {Exception}($\"Object id {{__reference}} is not a {Display(spec)}.\");");
                }
                using (w.Block($"if (count > global::Rpc.Serialization.RpcWireCodes.MaxMemberCount)"))
                {
                    w.Line($"throw new {Exception}($\"Invalid object header {{count}} for {Display(spec)}.\");");
                }
            }
            else
            {
                using (w.Block("if (!reader.TryReadObjectHeader(out byte count))"))
                {
                    w.Line("return default;");
                }
            }
            w.Line("global::System.Span<int> __lengths = stackalloc int[count];");
            using (w.Block("for (int i = 0; i < count; i++)"))
            {
                w.Line("__lengths[i] = reader.ReadVarIntInt32();");
                using (w.Block("if (__lengths[i] < 0 || __lengths[i] > reader.Remaining)"))
                {
                    w.Line($"throw new {Exception}($\"Invalid member length {{__lengths[i]}} in {Display(spec)}.\");");
                }
            }
            if (circular)
            {
                w.Line("uint __id = reader.ReadVarIntUInt32();");
                w.Line($"var __result = new {spec.TypeFullName}();");
                w.Line("reader.References.Add(__id, __result);");
            }
            else
            {
                DeclareLocals(w, spec);
            }
            w.Line("reader.EnterDepth();");
            w.Line("int __start;");
            var bySlot = spec.Members.ToDictionary(m => m.Slot);
            for (int slot = 0; slot < slots; slot++)
            {
                if (!bySlot.TryGetValue(slot, out MemberSpec? member))
                {
                    w.Line($"if (count > {slot}) reader.Advance(__lengths[{slot}]); // a slot this version does not use");
                    continue;
                }
                // A zero-length slot is a member a newer version deleted: it stays default, as MemoryPack reads it.
                using (w.Block($"if (count > {slot} && __lengths[{slot}] != 0)"))
                {
                    w.Line("__start = reader.Consumed;");
                    string target = circular ? $"__result.{member.Name}" : Local(member);
                    if (circular && member.Assignment == MemberAssignment.None)
                    {
                        w.Line($"_ = {ReadMember("reader", member)};");
                    }
                    else
                    {
                        w.Line($"{target} = {ReadMember("reader", member)};");
                    }
                    using (w.Block($"if (reader.Consumed - __start != __lengths[{slot}])"))
                    {
                        w.Line($"throw new {Exception}($\"Member {member.Name.TrimStart('@')} of {Display(spec)} took {{reader.Consumed - __start}} bytes but its slot says {{__lengths[{slot}]}}.\");");
                    }
                }
            }
            using (w.Block($"for (int i = {slots}; i < count; i++)"))
            {
                w.Line("reader.Advance(__lengths[i]); // a member added by a newer version");
            }
            w.Line("reader.ExitDepth();");
            if (circular)
            {
                w.Line("return __result;");
            }
            else
            {
                EmitConstruction(w, spec, versionTolerant: true);
            }
        }
    }

    // ---- unions ----

    private static void EmitUnion(SourceWriter w, FormatterSpec spec, string valueType)
    {
        using (w.Block($"public override void Serialize(ref {Writer} writer, scoped in {valueType} value)"))
        {
            using (w.Block("switch (value)"))
            {
                w.Line("case null:");
                w.Line("    writer.WriteNullObjectHeader();");
                w.Line("    return;");
                foreach (UnionCaseSpec unionCase in spec.UnionCases)
                {
                    w.Line($"case {unionCase.TypeName} __case{unionCase.Tag}:");
                    w.Line($"    writer.WriteUnionHeader({unionCase.Tag});");
                    w.Line($"    writer.WriteValue<{unionCase.TypeName}>(__case{unionCase.Tag});");
                    w.Line("    return;");
                }
                w.Line("default:");
                w.Line($"    throw new {Exception}($\"'{{value.GetType()}}' is not a case of union {Display(spec)}; list it with [RpcUnion(tag, typeof(...))].\");");
            }
        }
        w.Line();
        using (w.Block($"public override {valueType} Deserialize(ref {Reader} reader)"))
        {
            using (w.Block("if (!reader.TryReadUnionHeader(out ushort tag))"))
            {
                w.Line("return default;");
            }
            w.Line("return tag switch");
            w.Line("{");
            foreach (UnionCaseSpec unionCase in spec.UnionCases.OrderBy(c => c.Tag))
            {
                w.Line($"    {unionCase.Tag} => reader.ReadValue<{unionCase.TypeName}>(),");
            }
            w.Line($"    _ => throw new {Exception}($\"Unknown tag {{tag}} for union {Display(spec)}.\"),");
            w.Line("};");
        }
    }

    // ---- members ----

    /// <summary>
    /// Splits members into runs: adjacent unmanaged members without padding (up to four) together, every other
    /// member alone.
    /// </summary>
    private static IEnumerable<List<MemberSpec>> Runs(EquatableArray<MemberSpec> members)
    {
        var run = new List<MemberSpec>();
        foreach (MemberSpec member in members)
        {
            if (member.IsUnmanaged && !member.MayHavePadding && run.Count > 0 && run[0].IsUnmanaged && !run[0].MayHavePadding && run.Count < 4)
            {
                run.Add(member);
                continue;
            }
            if (run.Count > 0)
            {
                yield return run;
            }
            run = new List<MemberSpec> { member };
        }
        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private static string Local(MemberSpec member) => "__" + member.Name.TrimStart('@');

    private static string WriteMember(string writer, MemberSpec member)
    {
        string expression = "value." + member.Name;
        if (member.IsUnmanaged)
        {
            if (member.MayHavePadding && member.TypeName.EndsWith("?", System.StringComparison.Ordinal))
            {
                // Nullable<unmanaged>: written from its parts, so its padding is zero whatever the value's memory held.
                return $"{writer}.WriteUnmanagedNullable<{member.TypeName.Substring(0, member.TypeName.Length - 1)}>({expression});";
            }
            return member.MayHavePadding
                ? $"{writer}.DangerousWriteUnmanagedZeroingPadding<{member.TypeName}>({expression});"
                : $"{writer}.DangerousWriteUnmanaged<{member.TypeName}>({expression});";
        }
        if (ListElementType(member) is not null)
        {
            return $"__WriteList{Local(member)}(ref {writer}, {expression});";
        }
        return ServiceEmitter.WriteStatement(writer, member.TypeName, expression, member.Encoding);
    }

    private static string ReadMember(string reader, MemberSpec member) =>
        member.IsUnmanaged
            ? $"{reader}.DangerousReadUnmanaged<{member.TypeName}>()"
            : ListElementType(member) is not null
                ? $"__ReadList{Local(member)}(ref {reader})!"
                : ServiceEmitter.ReadExpression(reader, member.TypeName, member.Encoding);

    // ---- List<T> members ----

    private const string ListPrefix = "global::System.Collections.Generic.List<";

    /// <summary>
    /// For each <c>List&lt;T&gt;</c> member, a writer and a reader of this class's own: the bytes and checks of the
    /// registered <c>ListFormatter&lt;T&gt;</c>, with the element loop compiled for the exact element type, as
    /// MemoryPack's generated code has it. The list formatter is code shared by all reference types: a virtual call,
    /// a shared-generic method call and a formatter lookup through a runtime helper per list, which in a graph of
    /// lists of objects (a tree) cost more than the nodes' own members. Elements that hold no references, and a
    /// list type someone registered a formatter of their own for, still go through the registered formatter.
    /// </summary>
    private static void EmitListMembers(SourceWriter w, FormatterSpec spec)
    {
        const string Provider = "global::Rpc.Serialization.RpcFormatterProvider";
        foreach (MemberSpec member in spec.Members)
        {
            if (member.IsUnmanaged || ListElementType(member) is not { } element)
            {
                continue;
            }
            string list = $"{ListPrefix}{element}>";
            string generic = $"!global::System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<{element}>() || {Provider}.GetFormatter<{list}>() is not global::Rpc.Serialization.Formatters.ListFormatter<{element}>";
            w.Line();
            // Small and inlined: a null list (every leaf of a tree) costs a test and its header; the elements are
            // written out of line, so that the leaves do not pay the loop's stack frame.
            w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
            using (w.Block($"private static void __WriteList{Local(member)}(ref {Writer} writer, {list}? list)"))
            {
                w.Line($"if ({generic}) writer.WriteValue<{list}?>(list);");
                w.Line("else if (list is null) writer.WriteNullCollectionHeader();");
                w.Line($"else WriteElements(ref writer, global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));");
                w.Line();
                w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
                using (w.Block($"static void WriteElements(ref {Writer} writer, global::System.ReadOnlySpan<{element}> items)"))
                {
                    w.Line("writer.WriteCollectionHeader(items.Length);");
                    w.Line("if (items.Length == 0) return;");
                    w.Line("writer.EnterDepth();");
                    w.Line($"global::Rpc.Serialization.RpcFormatter<{element}> elements = {Provider}.GetFormatter<{element}>();");
                    if (SelfFormatter(spec, element) is { } self)
                    {
                        // A list of this very type (a tree): through the sealed class, the calls are direct.
                        w.Line($"if (elements is {self} own) foreach ({element} item in items) own.Serialize(ref writer, item);");
                        w.Line($"else foreach ({element} item in items) elements.Serialize(ref writer, item);");
                    }
                    else
                    {
                        w.Line($"foreach ({element} item in items) elements.Serialize(ref writer, item);");
                    }
                    w.Line("writer.ExitDepth();");
                }
            }
            w.Line();
            using (w.Block($"private static {list}? __ReadList{Local(member)}(ref {Reader} reader)"))
            {
                using (w.Block($"if ({generic})"))
                {
                    w.Line($"return reader.ReadValue<{list}?>();");
                }
                w.Line("// Every element takes at least one byte (its header): the count is checked against what remains.");
                using (w.Block("if (!reader.TryReadCollectionHeader(out int length, 1))"))
                {
                    w.Line("return null;");
                }
                w.Line($"var result = new {list}(length);");
                using (w.Block("if (length == 0)"))
                {
                    w.Line("return result;");
                }
                w.Line("global::System.Runtime.InteropServices.CollectionsMarshal.SetCount(result, length);");
                w.Line($"global::System.Span<{element}> items = global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result);");
                w.Line("reader.EnterDepth();");
                w.Line($"global::Rpc.Serialization.RpcFormatter<{element}> elements = {Provider}.GetFormatter<{element}>();");
                if (SelfFormatter(spec, element) is { } self)
                {
                    using (w.Block($"if (elements is {self} own)"))
                    {
                        using (w.Block("for (int i = 0; i < items.Length; i++)"))
                        {
                            w.Line("items[i] = own.Deserialize(ref reader)!;");
                        }
                    }
                    using (w.Block("else"))
                    {
                        using (w.Block("for (int i = 0; i < items.Length; i++)"))
                        {
                            w.Line("items[i] = elements.Deserialize(ref reader)!;");
                        }
                    }
                }
                else
                {
                    using (w.Block("for (int i = 0; i < items.Length; i++)"))
                    {
                        w.Line("items[i] = elements.Deserialize(ref reader)!;");
                    }
                }
                w.Line("reader.ExitDepth();");
                w.Line("return result;");
            }
        }
    }

    /// <summary>
    /// The class being emitted, when <paramref name="element"/> is the type it formats and the class is not generic:
    /// a list of the type's own kind (a tree's children) can then call it directly, as a sealed class, whenever it is
    /// the registered formatter (a user's own registration still wins, through the virtual call).
    /// </summary>
    private static string? SelfFormatter(FormatterSpec spec, string element) =>
        spec.TypeParameterList.Length == 0 && element == spec.TypeFullName ? spec.FormatterClassName : null;

    /// <summary>The element type of a <c>List&lt;T&gt;</c> member as written in its type name, else null.</summary>
    private static string? ListElementType(MemberSpec member)
    {
        string type = member.TypeName.EndsWith("?", System.StringComparison.Ordinal) ? member.TypeName.Substring(0, member.TypeName.Length - 1) : member.TypeName;
        return type.StartsWith(ListPrefix, System.StringComparison.Ordinal) && type.EndsWith(">", System.StringComparison.Ordinal)
            ? type.Substring(ListPrefix.Length, type.Length - ListPrefix.Length - 1)
            : null;
    }

    private static string Display(FormatterSpec spec) => spec.TypeFullName.Replace("global::", string.Empty).Replace("{", "{{").Replace("}", "}}");
}
