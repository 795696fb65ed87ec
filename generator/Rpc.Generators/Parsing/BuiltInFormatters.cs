using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rpc.Generators.Parsing;

/// <summary>The runtime's formatters for framework generic types, by the type's metadata name.</summary>
internal static class BuiltInFormatters
{
    /// <summary>The expression that creates the formatter for <paramref name="type"/>, or null when the runtime has none.</summary>
    public static string? CreationFor(INamedTypeSymbol type)
    {
        string name = type.OriginalDefinition.MetadataFullName();
        string args = string.Join(", ", type.TypeArguments.Select(a => a.ToPlainName()));
        string self = type.ToPlainName();
        string f = WellKnownNames.FormattersNamespace;
        switch (name)
        {
            case "System.Nullable`1":
                return $"new {f}NullableFormatter<{args}>()";
            case "System.Collections.Generic.List`1":
                return $"new {f}ListFormatter<{args}>()";
            case "System.Collections.Generic.Dictionary`2":
                return $"new {f}DictionaryFormatter<{args}>()";
            case "System.Collections.Generic.HashSet`1":
            case "System.Collections.Generic.SortedSet`1":
            case "System.Collections.Generic.LinkedList`1":
                return $"new {f}AddableCollectionFormatter<{self}, {args}>()";
            case "System.Collections.Generic.SortedDictionary`2":
            case "System.Collections.Generic.SortedList`2":
            case "System.Collections.Concurrent.ConcurrentDictionary`2":
                return $"new {f}DictionaryFormatter<{self}, {args}>()";
            case "System.Collections.Generic.IEnumerable`1":
                return $"new {f}EnumerableInterfaceFormatter<{args}>()"; // read back as T[], as MemoryPack does
            case "System.Collections.Generic.ICollection`1":
            case "System.Collections.Generic.IReadOnlyCollection`1":
            case "System.Collections.Generic.IList`1":
            case "System.Collections.Generic.IReadOnlyList`1":
                return $"new {f}ListInterfaceFormatter<{self}, {args}>()";
            case "System.Collections.Generic.ISet`1":
            case "System.Collections.Generic.IReadOnlySet`1":
                return $"new {f}SetInterfaceFormatter<{self}, {args}>()";
            case "System.Collections.Generic.IDictionary`2":
            case "System.Collections.Generic.IReadOnlyDictionary`2":
                return $"new {f}DictionaryInterfaceFormatter<{self}, {args}>()";
            case "System.Collections.Generic.Queue`1":
                return $"new {f}QueueFormatter<{args}>()";
            case "System.Collections.Generic.Stack`1":
                return $"new {f}StackFormatter<{args}>()";
            case "System.Collections.Generic.KeyValuePair`2":
                return $"new {f}KeyValuePairFormatter<{args}>()";
            case "System.Memory`1":
                return $"new {f}MemoryFormatter<{args}>()";
            case "System.ReadOnlyMemory`1":
                return $"new {f}ReadOnlyMemoryFormatter<{args}>()";
            case "System.ArraySegment`1":
                return $"new {f}ArraySegmentFormatter<{args}>()";
        }
        // Eight type arguments: seven items and the Rest tuple, for tuples of eight or more items.
        if (name.StartsWith("System.ValueTuple`", StringComparison.Ordinal) && type.TypeArguments.Length <= 8)
        {
            return $"new {f}ValueTupleFormatter<{args}>()";
        }
        if (name.StartsWith("System.Tuple`", StringComparison.Ordinal) && type.TypeArguments.Length <= 8)
        {
            return $"new {f}TupleFormatter<{args}>()";
        }
        return null;
    }

}
