using System.Runtime.CompilerServices;
using System.Threading;

namespace Rpc.Serialization;

/// <summary>
/// One type's formatter, kept by an object that serializes that type on every call. In code shared by all
/// reference types (a generic method over <c>string</c> or a user's class), finding <typeparamref name="T"/>'s
/// slot in <see cref="RpcFormatterProvider"/> walks several runtime structures on each use; a field of an object
/// of this class is one load. It looks again after any registration changes a slot, so a formatter registered
/// later still takes over.
/// </summary>
internal sealed class RpcFormatterCache<T>
{
    private RpcFormatter<T>? _formatter;
    private int _generation;

    /// <summary>The formatter; throws <see cref="RpcSerializationException"/> when <typeparamref name="T"/> has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RpcFormatter<T> Get()
    {
        // The generation is read before the formatter and written after it: a formatter seen with a current
        // generation is the one looked up for that generation.
        int generation = Volatile.Read(ref _generation);
        RpcFormatter<T>? formatter = _formatter;
        return formatter is not null && generation == RpcFormatterProvider.Generation ? formatter : Refresh();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RpcFormatter<T> Refresh()
    {
        // The generation is read first: a registration that lands meanwhile makes the next call look again.
        int generation = RpcFormatterProvider.Generation;
        RpcFormatter<T> formatter = RpcFormatterProvider.GetFormatter<T>();
        _formatter = formatter;
        Volatile.Write(ref _generation, generation);
        return formatter;
    }
}
