namespace Rpc.Generators;

/// <summary>Facts about this generator that generated code records.</summary>
internal static class GeneratorInfo
{
    public const string Version = "0.1.0";
}
