using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace Rpc.Hosting;

/// <summary>Small binding steps the generated binder does not cover (read-only lists on our own option classes).</summary>
internal static class RpcOptionsBinding
{
    /// <summary>Adds the values of <paramref name="section"/>'s children (<c>Endpoints:0</c>, <c>Endpoints:1</c>, ...) in order; a plain value counts as one.</summary>
    public static void AddStrings(IConfigurationSection section, IList<string> list)
    {
        if (section.Value is { Length: > 0 } single)
        {
            list.Add(single);
            return;
        }
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (child.Value is { Length: > 0 } value)
            {
                list.Add(value);
            }
        }
    }
}
