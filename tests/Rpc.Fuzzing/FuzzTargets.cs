using System;
using System.Collections.Generic;
using Rpc.Fuzzing.Targets;

namespace Rpc.Fuzzing;

/// <summary>Every target, by name: the fuzz script, the seed writer and the replay tests share this list.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } = new IFuzzTarget[]
    {
        new FrameParserTarget(),
        new MetadataTarget(),
        new RequestPrefixTarget(),
        new ControlFramesTarget(),
        new SerializerTarget(),
        new ServerConnectionTarget(),
    };

    public static IFuzzTarget Find(string name)
    {
        foreach (IFuzzTarget target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.Ordinal))
            {
                return target;
            }
        }
        throw new ArgumentException($"No fuzz target is named '{name}'; the targets are: {string.Join(", ", Names())}.", nameof(name));
    }

    public static IEnumerable<string> Names()
    {
        foreach (IFuzzTarget target in All)
        {
            yield return target.Name;
        }
    }
}
