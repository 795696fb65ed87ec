using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Discovery;

/// <summary>A registration handle that runs an action on its first disposal and ignores the later ones.</summary>
internal sealed class RegistrationHandle : IAsyncDisposable
{
    private Action? _onDispose;

    internal RegistrationHandle(Action? onDispose) => _onDispose = onDispose;

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _onDispose, null)?.Invoke();
        return default;
    }
}
