namespace Rpc.Generators.Tests.Infrastructure;

/// <summary>
/// MemoryPack's attributes as MemoryPack declares them (same namespace, names, constructors and enums), for tests of
/// types that carry them: the generator matches them by name and never references MemoryPack.
/// </summary>
internal static class MemoryPackStubs
{
    public const string Source = """
        using System;

        namespace MemoryPack
        {
            public enum GenerateType { Object, VersionTolerant, CircularReference, Collection, NoGenerate }
            public enum SerializeLayout { Sequential, Explicit }

            [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
            public sealed class MemoryPackableAttribute : Attribute
            {
                public MemoryPackableAttribute(GenerateType generateType = GenerateType.Object) { }
                public MemoryPackableAttribute(SerializeLayout serializeLayout) { }
                public MemoryPackableAttribute(GenerateType generateType, SerializeLayout serializeLayout) { }
            }

            [AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = true, Inherited = false)]
            public sealed class MemoryPackUnionAttribute : Attribute { public MemoryPackUnionAttribute(ushort tag, Type type) { } }

            [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)] public sealed class MemoryPackOrderAttribute : Attribute { public MemoryPackOrderAttribute(int order) { } }
            [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)] public sealed class MemoryPackIgnoreAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)] public sealed class MemoryPackIncludeAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)] public sealed class MemoryPackAllowSerializeAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Constructor)] public sealed class MemoryPackConstructorAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)] public sealed class SuppressDefaultInitializationAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.ReturnValue)] public abstract class MemoryPackCustomFormatterAttribute<T> : Attribute { }
            public sealed class Utf8StringFormatterAttribute : MemoryPackCustomFormatterAttribute<string> { }
            public sealed class Utf16StringFormatterAttribute : MemoryPackCustomFormatterAttribute<string> { }
            public sealed class BrotliFormatterAttribute : MemoryPackCustomFormatterAttribute<byte[]> { }
        }
        """;
}
