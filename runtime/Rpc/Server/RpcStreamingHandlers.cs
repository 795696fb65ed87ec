using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>
/// Runs one server-streaming method: reads the arguments from <paramref name="arguments"/> synchronously, then
/// returns the service's stream. The runtime enumerates it with <paramref name="cancellationToken"/> (so an
/// <c>async</c> iterator with <c>[EnumeratorCancellation]</c> sees the call's cancellation) as the client's flow
/// control allows.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate IAsyncEnumerable<TResponse> RpcServerStreamingHandler<TService, TResponse>(TService service, ref RpcReader arguments, CancellationToken cancellationToken);

/// <summary>
/// Runs one client-streaming method with a result: reads the other arguments from <paramref name="arguments"/>
/// synchronously, then calls the service with the client's <paramref name="requests"/> (enumerable once; it
/// ends when the client ends its stream, and throws <see cref="System.OperationCanceledException"/> when the call is
/// cancelled).
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate ValueTask<TResult> RpcClientStreamingHandler<TService, TRequest, TResult>(TService service, ref RpcReader arguments, IAsyncEnumerable<TRequest> requests, CancellationToken cancellationToken);

/// <summary>Runs one client-streaming method without a result (see <see cref="RpcClientStreamingHandler{TService, TRequest, TResult}"/>).</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate ValueTask RpcClientStreamingHandler<TService, TRequest>(TService service, ref RpcReader arguments, IAsyncEnumerable<TRequest> requests, CancellationToken cancellationToken);

/// <summary>
/// Runs one duplex method: reads the other arguments from <paramref name="arguments"/> synchronously, then returns
/// the service's response stream, which may consume <paramref name="requests"/> as it goes.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public delegate IAsyncEnumerable<TResponse> RpcDuplexStreamingHandler<TService, TRequest, TResponse>(TService service, ref RpcReader arguments, IAsyncEnumerable<TRequest> requests, CancellationToken cancellationToken);
