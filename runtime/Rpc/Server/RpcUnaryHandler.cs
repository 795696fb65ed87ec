using System.Threading;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>
/// Runs one unary method with a result: reads the arguments from <paramref name="arguments"/> synchronously, then
/// calls the service. The arguments' bytes are only valid until the delegate returns.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate ValueTask<TResult> RpcUnaryHandler<TService, TResult>(TService service, ref RpcReader arguments, CancellationToken cancellationToken);

/// <summary>
/// Runs one unary method without a result (or a one-way method): reads the arguments from
/// <paramref name="arguments"/> synchronously, then calls the service.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate ValueTask RpcUnaryHandler<TService>(TService service, ref RpcReader arguments, CancellationToken cancellationToken);
