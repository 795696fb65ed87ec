using System;
using System.Collections.Generic;

namespace Rpc.Server;

/// <summary>
/// Collects a service's methods for a server; generated binders call one <c>Add</c> method per service method, as its
/// shape (<see cref="RpcMethodDescriptor.Kind"/>) says.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class RpcServiceBinder<TService> where TService : class
{
    // Exactly one of the two is set: the instance serving every call, or what makes one per call.
    private readonly TService? _service;
    private readonly IRpcServiceActivator<TService>? _activator;
    private readonly List<RpcServerMethod> _methods = new();

    internal RpcServiceBinder(TService service) => _service = service;

    internal RpcServiceBinder(IRpcServiceActivator<TService> activator) => _activator = activator;

    internal IReadOnlyList<RpcServerMethod> Methods => _methods;

    /// <summary>
    /// A copy of <paramref name="methods"/> with this service's methods added (servers swap their table on write,
    /// so that read loops look methods up without a lock).
    /// </summary>
    /// <exception cref="InvalidOperationException">One of the methods' ids is already in <paramref name="methods"/>.</exception>
    internal Dictionary<uint, RpcServerMethod> AddTo(Dictionary<uint, RpcServerMethod> methods)
    {
        var added = new Dictionary<uint, RpcServerMethod>(methods);
        foreach (RpcServerMethod method in _methods)
        {
            if (!added.TryAdd(method.Descriptor.Id, method))
            {
                throw new InvalidOperationException(
                    $"Method id {method.Descriptor.Id} of {method.Descriptor} is already used by {added[method.Descriptor.Id].Descriptor} on this server. Pin a different id with [RpcMethod].");
            }
        }
        return added;
    }

    /// <summary>Adds a unary method whose result is serialized into the response.</summary>
    public void AddUnary<TResult>(RpcMethodDescriptor method, RpcUnaryHandler<TService, TResult> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        _methods.Add(new RpcUnaryServerMethod<TService, TResult>(method, _service, _activator, handler));
    }

    /// <summary>
    /// Adds a unary method with no result: its response carries no payload. When <paramref name="method"/>'s kind
    /// is <see cref="RpcMethodKind.OneWay"/>, no response is sent at all.
    /// </summary>
    public void AddUnary(RpcMethodDescriptor method, RpcUnaryHandler<TService> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        _methods.Add(new RpcUnaryServerMethod<TService>(method, _service, _activator, handler));
    }

    /// <summary>Adds a server-streaming method (<see cref="RpcMethodKind.ServerStreaming"/>).</summary>
    public void AddServerStreaming<TResponse>(RpcMethodDescriptor method, RpcServerStreamingHandler<TService, TResponse> handler)
    {
        Check(method, handler, RpcMethodKind.ServerStreaming);
        _methods.Add(new RpcServerStreamingMethod<TService, TResponse>(method, _service, _activator, handler));
    }

    /// <summary>Adds a client-streaming method with a result (<see cref="RpcMethodKind.ClientStreaming"/>).</summary>
    public void AddClientStreaming<TRequest, TResult>(RpcMethodDescriptor method, RpcClientStreamingHandler<TService, TRequest, TResult> handler)
    {
        Check(method, handler, RpcMethodKind.ClientStreaming);
        _methods.Add(new RpcClientStreamingMethod<TService, TRequest, TResult>(method, _service, _activator, handler));
    }

    /// <summary>Adds a client-streaming method without a result (<see cref="RpcMethodKind.ClientStreaming"/>).</summary>
    public void AddClientStreaming<TRequest>(RpcMethodDescriptor method, RpcClientStreamingHandler<TService, TRequest> handler)
    {
        Check(method, handler, RpcMethodKind.ClientStreaming);
        _methods.Add(new RpcClientStreamingMethod<TService, TRequest>(method, _service, _activator, handler));
    }

    /// <summary>Adds a duplex-streaming method (<see cref="RpcMethodKind.DuplexStreaming"/>).</summary>
    public void AddDuplexStreaming<TRequest, TResponse>(RpcMethodDescriptor method, RpcDuplexStreamingHandler<TService, TRequest, TResponse> handler)
    {
        Check(method, handler, RpcMethodKind.DuplexStreaming);
        _methods.Add(new RpcDuplexStreamingMethod<TService, TRequest, TResponse>(method, _service, _activator, handler));
    }

    private static void Check(RpcMethodDescriptor method, Delegate handler, RpcMethodKind kind)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        if (method.Kind != kind)
        {
            throw new ArgumentException($"{method} is described as {method.Kind} but bound as {kind}.", nameof(method));
        }
    }
}
