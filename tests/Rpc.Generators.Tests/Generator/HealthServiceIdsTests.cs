using Microsoft.CodeAnalysis;
using Rpc.Generators.Tests.Infrastructure;
using Rpc.Health;

namespace Rpc.Generators.Tests.Generator;

/// <summary>
/// The core's <see cref="IRpcHealth"/> has a hand-written proxy and binder (the core project does not run the
/// generator on itself): its method ids must be the ones the generator gives the same contract.
/// </summary>
public sealed class HealthServiceIdsTests
{
    [Fact]
    public void The_hand_written_health_descriptors_carry_the_generators_ids()
    {
        // The same contract, declared in the test's own assembly under the same names.
        const string contract = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Rpc;

            namespace Rpc.Health;

            public enum Status { Unknown, Serving, NotServing, ServiceUnknown }

            [RpcService]
            public interface IRpcHealth
            {
                ValueTask<Status> CheckAsync(string service, CancellationToken ct = default);
                IAsyncEnumerable<Status> WatchAsync(string service, CancellationToken ct = default);
            }
            """;
        (_, Compilation output, _) = TestCompilation.RunGenerator(TestCompilation.Create(contract));
        string generated = string.Join("\n", output.SyntaxTrees.Skip(1).Select(t => t.ToString()));

        Assert.Contains($"\"{RpcHealthRpc.ServiceName}\"", generated);
        Assert.Contains($"0x{RpcHealthRpc.CheckAsync.Id:X8}u, global::Rpc.RpcMethodKind.Unary", generated);
        Assert.Contains($"0x{RpcHealthRpc.WatchAsync.Id:X8}u, global::Rpc.RpcMethodKind.ServerStreaming", generated);
    }
}
