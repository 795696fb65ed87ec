using System.Collections.Generic;

namespace Rpc.Serialization;

/// <summary>Ids of the objects a writer has written, for <c>GenerateType.CircularReference</c>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class RpcWriterReferences
{
    private readonly Dictionary<object, uint> _ids = new(ReferenceEqualityComparer.Instance);

    /// <summary>Returns the object's id and whether it was written before; a new object gets the next id.</summary>
    public (bool Existed, uint Id) GetOrAdd(object value)
    {
        if (_ids.TryGetValue(value, out uint id))
        {
            return (true, id);
        }
        id = (uint)_ids.Count;
        _ids.Add(value, id);
        return (false, id);
    }
}

/// <summary>The objects a reader has read, by id, for <c>GenerateType.CircularReference</c>.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class RpcReaderReferences
{
    private readonly Dictionary<uint, object> _objects = new();

    /// <summary>Records the object that carries <paramref name="id"/>.</summary>
    public void Add(uint id, object value) => _objects[id] = value;

    /// <summary>Returns the object with <paramref name="id"/>; throws for an id never seen.</summary>
    public object Get(uint id) =>
        _objects.TryGetValue(id, out object? value)
            ? value
            : throw new RpcSerializationException($"The payload refers to object id {id}, which it has not defined.");
}
