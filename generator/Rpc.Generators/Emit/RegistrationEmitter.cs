using System.Collections.Generic;
using Rpc.Generators.Model;

namespace Rpc.Generators.Emit;

/// <summary>Emits the module initializer that registers every formatter this assembly needs, once, in a stable order.</summary>
internal static class RegistrationEmitter
{
    public static string Emit(IReadOnlyList<RegistrationSpec> registrations)
    {
        SourceWriter w = SourceWriter.CreateFile();
        // Runtime type identity ignores nullable annotations, so registrations are written without them.
        w.Line("#nullable disable");
        w.Line("#pragma warning disable CS1591, CA2255 // generated members need no docs; module initializers are how generated code registers");
        w.Line();
        using (w.Block("namespace Rpc.Generated"))
        {
            w.Line("/// <summary>Registers the formatters of every type this assembly serializes.</summary>");
            w.Line($"[global::System.CodeDom.Compiler.GeneratedCode(\"Rpc.Generators\", \"{GeneratorInfo.Version}\")]");
            using (w.Block("internal static class RpcFormatterRegistrations"))
            {
                w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
                using (w.Block("internal static void Register()"))
                {
                    foreach (RegistrationSpec registration in registrations)
                    {
                        w.Line($"global::Rpc.Serialization.RpcFormatterProvider.TryRegister<{registration.TypeName}>({registration.FormatterCreation});");
                    }
                }
            }
        }
        return w.ToString();
    }
}
