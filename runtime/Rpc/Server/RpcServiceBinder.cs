using System;
using System.Collections.Generic;

namespace Rpc.Server;

/// <summary>Collects a service's methods for a server; generated binders call <c>AddUnary</c> once per method.</summary>
public sealed class RpcServiceBinder<TService> where TService : class
{
    private readonly TService _service;
    private readonly List<RpcServerMethod> _methods = new();

    internal RpcServiceBinder(TService service) => _service = service;

    internal IReadOnlyList<RpcServerMethod> Methods => _methods;

    /// <summary>Adds a unary method whose result is serialized into the response.</summary>
    public void AddUnary<TResult>(RpcMethodDescriptor method, RpcUnaryHandler<TService, TResult> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        _methods.Add(new RpcUnaryServerMethod<TService, TResult>(method, _service, handler));
    }

    /// <summary>
    /// Adds a unary method with no result: its response carries no payload. When <paramref name="method"/>'s kind
    /// is <see cref="RpcMethodKind.OneWay"/>, no response is sent at all.
    /// </summary>
    public void AddUnary(RpcMethodDescriptor method, RpcUnaryHandler<TService> handler)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);
        _methods.Add(new RpcUnaryServerMethod<TService>(method, _service, handler));
    }
}
