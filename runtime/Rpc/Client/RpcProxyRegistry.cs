using System;
using System.Runtime.CompilerServices;

namespace Rpc.Client;

/// <summary>
/// Where generated proxies are found, without reflection: one static slot per service interface, filled by the
/// generated code's module initializer.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class RpcProxyRegistry
{
    /// <summary>Registers the factory that builds <typeparamref name="TService"/>'s proxy; generated code calls this.</summary>
    public static void Register<TService>(Func<IRpcCallInvoker, TService> factory) where TService : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        Slot<TService>.Factory = factory;
    }

    /// <summary>Creates a proxy for <typeparamref name="TService"/> that calls through <paramref name="invoker"/>.</summary>
    /// <exception cref="InvalidOperationException">No proxy was generated for <typeparamref name="TService"/>.</exception>
    public static TService Create<TService>(IRpcCallInvoker invoker) where TService : class
    {
        ArgumentNullException.ThrowIfNull(invoker);
        Func<IRpcCallInvoker, TService>? factory = Slot<TService>.Factory;
        if (factory is null)
        {
            // The interface's assembly registers its proxy in a module initializer, which may not have run yet.
            RuntimeHelpers.RunModuleConstructor(typeof(TService).Module.ModuleHandle);
            factory = Slot<TService>.Factory ?? throw new InvalidOperationException(
                $"No generated proxy for {typeof(TService)}: mark the interface [RpcService] and reference the Rpc package in the project that declares it, so the generator emits one.");
        }
        return factory(invoker);
    }

    private static class Slot<TService> where TService : class
    {
        public static Func<IRpcCallInvoker, TService>? Factory;
    }
}
