using System;
using System.Runtime.CompilerServices;

namespace Rpc.Server;

/// <summary>
/// Where generated binders are found, without reflection: one static slot per service interface, filled by the
/// generated code's module initializer.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class RpcServiceRegistry
{
    /// <summary>Registers the binder that adds <typeparamref name="TService"/>'s methods to a server; generated code calls this.</summary>
    public static void Register<TService>(Action<RpcServiceBinder<TService>> bind) where TService : class
    {
        ArgumentNullException.ThrowIfNull(bind);
        Slot<TService>.Bind = bind;
    }

    /// <summary>The registered binder; throws <see cref="InvalidOperationException"/> when none was generated.</summary>
    internal static Action<RpcServiceBinder<TService>> GetBinder<TService>() where TService : class
    {
        Action<RpcServiceBinder<TService>>? bind = Slot<TService>.Bind;
        if (bind is null)
        {
            // The interface's assembly registers its binder in a module initializer, which may not have run yet.
            RuntimeHelpers.RunModuleConstructor(typeof(TService).Module.ModuleHandle);
            bind = Slot<TService>.Bind ?? throw new InvalidOperationException(
                $"No generated service binder for {typeof(TService)}: mark the interface [RpcService] and reference the Rpc package in the project that declares it, so the generator emits one.");
        }
        return bind;
    }

    private static class Slot<TService> where TService : class
    {
        public static Action<RpcServiceBinder<TService>>? Bind;
    }
}
