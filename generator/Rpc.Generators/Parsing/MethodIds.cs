using System.Text;

namespace Rpc.Generators.Parsing;

/// <summary>
/// Stable method ids: FNV-1a (32-bit) over <c>Service/Method(ParamType,ParamType)</c> in UTF-8. Ids depend on
/// names and parameter types only, never on declaration order, so adding or reordering methods keeps them.
/// </summary>
internal static class MethodIds
{
    public static uint Compute(string serviceName, string methodName, string parameterTypes)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        uint hash = offsetBasis;
        foreach (byte b in Encoding.UTF8.GetBytes(serviceName + "/" + methodName + "(" + parameterTypes + ")"))
        {
            hash ^= b;
            hash *= prime;
        }
        return hash == 0 ? 1u : hash; // 0 means "no method" in frames that carry no call
    }
}
