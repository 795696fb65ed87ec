using Rpc.Generators.Contracts;

namespace Rpc.Generators.Emit;

/// <summary>
/// Emits <c>RpcContracts</c>: the assembly's contract (docs/contracts.md) as a constant, which the contract-lock
/// analyzer reads, the same text in a comment, which the lock update target copies to the lock file, and a module
/// initializer that registers each service's contract with the runtime for description services.
/// </summary>
internal static class ContractEmitter
{
    /// <summary>The markers around the commented copy of the contract (nuget/Rpc.Contracts.targets looks for them).</summary>
    public const string BeginMarker = "rpc-contract-begin";
    public const string EndMarker = "rpc-contract-end";

    public static string Emit(ContractSetSpec contracts)
    {
        SourceWriter w = SourceWriter.CreateFile();
        w.Line("#pragma warning disable CS1591, CA2255 // generated members need no docs; module initializers are how generated code registers");
        w.Line();
        using (w.Block("namespace Rpc.Generated"))
        {
            w.Line("/// <summary>The contracts of this assembly's services, as data (see docs/contracts.md).</summary>");
            w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"Rpc.Generators\", \"{GeneratorInfo.Version}\")]");
            using (w.Block("internal static class RpcContracts"))
            {
                w.Line("/// <summary>Every service of this assembly and the types they reach: what rpc-contract.lock.json records.</summary>");
                // Compact: only the lock analyzer reads it; the indented text is the comment below.
                string compactAssembly = ContractJsonWriter.Compact(contracts.AssemblyJson);
                w.Line($"public const string Assembly = {ServiceEmitter.Literal(compactAssembly)};");
                w.Line();
                w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
                using (w.Block("internal static void Register()"))
                {
                    foreach (ServiceContractSpec service in contracts.Services)
                    {
                        // One service: its document is the assembly's, so the text is in the assembly once.
                        string json = service.Json == compactAssembly ? "Assembly" : ServiceEmitter.Literal(service.Json);
                        w.Line($"global::Rpc.Contracts.RpcContractRegistry.Register({ServiceEmitter.Literal(service.ServiceName)}, {json});");
                    }
                }
            }
        }
        w.Line();
        // A plain copy for MSBuild to lift into the lock file (dotnet build -p:RpcUpdateContractLock=true); "*/" cannot
        // end the comment early because JSON may spell '/' as "\/".
        w.Line("/* " + BeginMarker);
        foreach (string line in contracts.AssemblyJson.Replace("*/", "*\\/").TrimEnd('\n').Split('\n'))
        {
            w.Line(line);
        }
        w.Line(EndMarker + " */");
        return w.ToString();
    }
}
