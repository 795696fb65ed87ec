using System.Text;

namespace Compat.RandomShapes;

/// <summary>
/// Renders a <see cref="ShapeSet"/> as C# with MemoryPack's names (<see cref="TwinSource.Translate"/> gives Rpc's):
/// each shape's declaration with its factory <c>Factories.Make{index}(Random)</c>, and one <c>Harness</c> class whose
/// <c>Make</c>, <c>Write</c> and <c>Read</c> switch over the shapes, the single entry point the tests call.
/// </summary>
public static class ShapeRenderer
{
    public const string HarnessType = "Compat.MemoryPackTwins.Shapes.Harness";

    private const string Header = """
        // Random shapes as MemoryPack declares them (RandomShapes/ShapeRenderer.cs).
        #nullable enable
        using System;
        using System.Collections.Generic;
        using MemoryPack;
        using V = global::Compat.Values;
        using SV = global::Compat.RandomShapes.ShapeValues;

        namespace Compat.MemoryPackTwins.Shapes;

        """;

    public static string Render(ShapeSet set)
    {
        var source = new StringBuilder(Header);
        foreach (EnumDeclaration declaration in set.Enums)
        {
            source.AppendLine($"public enum {declaration.Name} : {declaration.Underlying} {{ {string.Join(", ", declaration.Values)} }}").AppendLine();
        }
        foreach (UnmanagedStruct declaration in set.Structs)
        {
            source.AppendLine($"public struct {declaration.Name}").AppendLine("{");
            foreach (Member field in declaration.Fields)
            {
                source.AppendLine($"    public {field.Type.Name} {field.Name};");
            }
            source.AppendLine($"    public static {declaration.Name} Make(Random r) => new() {{ {Initializers(declaration.Fields, "r")} }};").AppendLine("}").AppendLine();
        }
        foreach (Shape shape in set.Shapes)
        {
            source.AppendLine(Declaration(shape));
        }
        Harness(source, set.Shapes);
        return source.ToString();
    }

    /// <summary>One shape's types and factory, as the failure messages show it.</summary>
    public static string Declaration(Shape shape)
    {
        var source = new StringBuilder();
        string factory;
        switch (shape.Kind)
        {
            case ShapeKind.Record:
            case ShapeKind.RecordStruct:
                string record = shape.Kind == ShapeKind.Record ? "record" : "record struct";
                source.AppendLine("[MemoryPackable]")
                    .AppendLine($"public partial {record} {shape.Name}({string.Join(", ", shape.Members.Select(m => $"{m.Type.Name} {m.Name}"))});");
                factory = $"new({string.Join(", ", shape.Members.Select(m => m.Type.Make("r")))})";
                break;
            case ShapeKind.Union:
                source.AppendLine("[MemoryPackable]");
                foreach (UnionCase unionCase in shape.Cases)
                {
                    source.AppendLine($"[MemoryPackUnion({unionCase.Tag}, typeof({unionCase.Name}))]");
                }
                Type(source, shape, shape.UnionOnInterface ? $"public partial interface {shape.Name}" : $"public abstract partial class {shape.Name}", shape.Members);
                foreach (UnionCase unionCase in shape.Cases)
                {
                    source.AppendLine(unionCase.VersionTolerant ? "[MemoryPackable(GenerateType.VersionTolerant)]" : "[MemoryPackable]");
                    Type(source, shape, $"public partial class {unionCase.Name} : {shape.Name}", unionCase.Members, ordered: unionCase.VersionTolerant);
                }
                IEnumerable<string> cases = shape.Cases.Select(c => $"x => new {c.Name} {{ {Initializers(shape.Members.Concat(c.Members), "x")} }}");
                factory = $"SV.OneOf<{shape.Name}>(r, {string.Join(", ", cases)})";
                break;
            case ShapeKind.Root:
                source.AppendLine($"// {shape.Name}: a {shape.TypeName} as the whole payload");
                factory = shape.TypeArgument!.Make("r")!;
                break;
            case ShapeKind.Generic:
                source.AppendLine("[MemoryPackable]");
                Type(source, shape, $"public partial {(shape.GenericStruct ? "struct" : "class")} {shape.Name}<T>", shape.Members,
                    before: ["    public T? Value { get; set; }", "    public List<T>? Items { get; set; }"]);
                MemberType argument = shape.TypeArgument!;
                factory = $"new() {{ Value = {argument.Make("r")}, Items = V.List<{argument.Name}>(r, item => {argument.Make("item")}), {Initializers(shape.Members, "r")} }}";
                break;
            case ShapeKind.CircularReference:
                int next = shape.Members.Count;
                source.AppendLine("[MemoryPackable(GenerateType.CircularReference)]");
                Type(source, shape, $"public partial class {shape.Name}", shape.Members, after: [
                    $"    [MemoryPackOrder({next})] public {shape.Name}? Next {{ get; set; }}",
                    $"    [MemoryPackOrder({next + 1})] public List<{shape.Name}?>? Children {{ get; set; }}"]);
                factory = $"SV.Graph<{shape.Name}>(r, x => new {shape.Name} {{ {Initializers(shape.Members, "x")} }}, " +
                    "(x, node, nodes) => { node.Next = SV.Pick(x, nodes); node.Children = SV.PickMany(x, nodes); })";
                break;
            case ShapeKind.Derived:
                source.AppendLine("[MemoryPackable]");
                Type(source, shape, $"public partial class {shape.Name} : {shape.Base!.Name}", shape.Members);
                factory = $"new() {{ {Initializers(shape.Base.Members.Concat(shape.Members), "r")} }}";
                break;
            default:
                IEnumerable<string> arguments = new[]
                {
                    shape.Kind == ShapeKind.VersionTolerant ? "GenerateType.VersionTolerant" : null,
                    shape.Layout is { } layout ? "SerializeLayout." + layout : null,
                }.OfType<string>();
                source.AppendLine(arguments.Any() ? $"[MemoryPackable({string.Join(", ", arguments)})]" : "[MemoryPackable]");
                Type(source, shape, $"public partial {(shape.IsValueType ? "struct" : "class")} {shape.Name}", shape.Members,
                    before: [.. Constructor(shape), .. shape.WithIgnored ? new[] { "    [MemoryPackIgnore] public int Ignored { get; set; } = 7;" } : []]);
                IEnumerable<Member> parameters = shape.ConstructorMembers.Select(name => shape.Members.Single(m => m.Name == name));
                factory = $"new({string.Join(", ", parameters.Select(m => m.Type.Make("r")))}) {{ {Initializers(shape.Members.Where(m => !shape.ConstructorMembers.Contains(m.Name)), "r")} }}";
                break;
        }
        string returns = shape.Kind == ShapeKind.Union || shape.Kind == ShapeKind.Root && !shape.IsValueType ? shape.TypeName + "?" : shape.TypeName;
        source.AppendLine("public static partial class Factories").AppendLine("{")
            .AppendLine($"    public static {returns} Make{shape.Index}(Random r) => {factory};").AppendLine("}");
        return source.ToString();
    }

    private static void Type(StringBuilder source, Shape shape, string header, IEnumerable<Member> members, string[]? before = null, string[]? after = null, bool ordered = false)
    {
        source.AppendLine(header).AppendLine("{");
        foreach (string line in before ?? [])
        {
            source.AppendLine(line);
        }
        ordered |= shape.Kind is ShapeKind.VersionTolerant or ShapeKind.CircularReference && shape.Layout is null || shape.Layout == "Explicit";
        foreach (Member member in members)
        {
            string order = ordered ? $"[MemoryPackOrder({member.Order})] " : "";
            string format = member.StringFormat is { } name ? $"[{name}] " : "";
            string body = shape.AsFields ? ";" : shape.InitOnly ? " { get; init; }" : shape.ConstructorMembers.Contains(member.Name) ? " { get; }" : " { get; set; }";
            source.AppendLine($"    {order}{format}public {member.Type.Name} {member.Name}{body}");
        }
        foreach (string line in after ?? [])
        {
            source.AppendLine(line);
        }
        source.AppendLine("}");
    }

    private static IEnumerable<string> Constructor(Shape shape)
    {
        if (shape.ConstructorMembers.Count == 0)
        {
            return [];
        }
        IEnumerable<Member> parameters = shape.ConstructorMembers.Select(name => shape.Members.Single(m => m.Name == name));
        return
        [
            "    [MemoryPackConstructor]",
            $"    public {shape.Name}({string.Join(", ", parameters.Select(p => $"{p.Type.Name} {p.Name.ToLowerInvariant()}"))})",
            "    {",
            .. parameters.Select(p => $"        {p.Name} = {p.Name.ToLowerInvariant()};"),
            "    }",
        ];
    }

    private static string Initializers(IEnumerable<Member> members, string random) =>
        string.Join(", ", members.Select(m => $"{m.Name} = {m.Type.Make(random)}"));

    private static void Harness(StringBuilder source, IReadOnlyList<Shape> shapes)
    {
        source.AppendLine("""
            public static class Harness
            {
                public static object? Make(int shape, Random r) => shape switch
                {
            """);
        foreach (Shape shape in shapes)
        {
            source.AppendLine($"        {shape.Index} => Factories.Make{shape.Index}(r),");
        }
        source.AppendLine("""
                    _ => throw new ArgumentOutOfRangeException(nameof(shape)),
                };

                public static Type TypeOf(int shape) => shape switch
                {
            """);
        foreach (Shape shape in shapes)
        {
            source.AppendLine($"        {shape.Index} => typeof({shape.TypeName}),");
        }
        source.AppendLine("""
                    _ => throw new ArgumentOutOfRangeException(nameof(shape)),
                };

                public static byte[] Write(int shape, object? value, bool utf16)
                {
                    MemoryPackSerializerOptions options = utf16 ? MemoryPackSerializerOptions.Utf16 : MemoryPackSerializerOptions.Default;
                    return shape switch
                    {
            """);
        foreach (Shape shape in shapes)
        {
            string cast = shape.IsValueType ? $"({shape.TypeName})value!" : $"({shape.TypeName}?)value";
            source.AppendLine($"            {shape.Index} => MemoryPackSerializer.Serialize<{shape.TypeName}>({cast}, options),");
        }
        source.AppendLine("""
                        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
                    };
                }

                public static object? Read(int shape, byte[] bytes, bool utf16)
                {
                    MemoryPackSerializerOptions options = utf16 ? MemoryPackSerializerOptions.Utf16 : MemoryPackSerializerOptions.Default;
                    return shape switch
                    {
            """);
        foreach (Shape shape in shapes)
        {
            source.AppendLine($"            {shape.Index} => MemoryPackSerializer.Deserialize<{shape.TypeName}>(bytes, options),");
        }
        source.AppendLine("""
                        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
                    };
                }
            }
            """);
    }
}
