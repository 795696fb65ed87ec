using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Rpc.Serialization.Formatters;

namespace Rpc.Serialization;

/// <summary>
/// Where formatters are found, without reflection: a static slot per type. Generated code fills the slots from a
/// module initializer for every type its assembly serializes (user types and the closed generic collections,
/// tuples and arrays they use). Types that hold no references need no formatter: they are copied raw.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class RpcFormatterProvider
{
    static RpcFormatterProvider()
    {
        Slot<string>.Formatter = StringFormatter.Instance;
        Slot<byte[]>.Formatter = new UnmanagedArrayFormatter<byte>();
        Slot<string?[]>.Formatter = new ArrayFormatter<string?>();
    }

    /// <summary>Registers <paramref name="formatter"/> for <typeparamref name="T"/>, replacing any earlier one.</summary>
    public static void Register<T>(RpcFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Slot<T>.Formatter = formatter;
        Interlocked.Increment(ref s_generation);
    }

    /// <summary>Registers <paramref name="formatter"/> unless <typeparamref name="T"/> already has one.</summary>
    public static void TryRegister<T>(RpcFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (Slot<T>.Formatter is null)
        {
            Slot<T>.Formatter = formatter;
            Interlocked.Increment(ref s_generation);
        }
    }

    private static int s_generation;

    /// <summary>Changes whenever a registration changes a slot: what <see cref="RpcFormatterCache{T}"/> checks.</summary>
    internal static int Generation => Volatile.Read(ref s_generation);

    /// <summary>True when <typeparamref name="T"/> can be serialized: it has a formatter or holds no references.</summary>
    public static bool IsRegistered<T>() =>
        !RuntimeHelpers.IsReferenceOrContainsReferences<T>() || Slot<T>.Formatter is not null;

    /// <summary>Returns the formatter for <typeparamref name="T"/>; throws <see cref="RpcSerializationException"/> when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RpcFormatter<T> GetFormatter<T>() => Slot<T>.Formatter ?? Resolve<T>();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RpcFormatter<T> Resolve<T>()
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return Slot<T>.Formatter = new UnmanagedFormatter<T>();
        }

        // A type declared in an assembly whose code has not run yet has not registered its formatters: run that
        // assembly's module initializer (generated code registers there) and look again.
        RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);
        return Slot<T>.Formatter ?? throw new RpcSerializationException(
            $"No formatter is registered for '{typeof(T)}'. Mark the type [RpcMessage], use it in an [RpcService] " +
            "interface, or pass it to RpcSerializer.Serialize/Deserialize in a project that references the Rpc package, so the generator emits one.");
    }

    private static class Slot<T>
    {
        public static RpcFormatter<T>? Formatter;
    }
}
