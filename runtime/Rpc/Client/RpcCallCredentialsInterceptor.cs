using System;
using System.Threading.Tasks;

namespace Rpc.Client;

/// <summary>
/// Runs <see cref="RpcClientOptions.CallCredentials"/> for every call, innermost of the client's interceptors, and
/// refuses to send credentials over a plaintext connection unless the options allow it.
/// </summary>
internal sealed class RpcCallCredentialsInterceptor : IRpcClientInterceptor
{
    private readonly Func<RpcCallCredentialsContext, RpcMetadata, ValueTask> _credentials;
    private readonly bool _allowed;

    public RpcCallCredentialsInterceptor(Func<RpcCallCredentialsContext, RpcMetadata, ValueTask> credentials, bool secure, bool allowInsecure)
    {
        _credentials = credentials;
        _allowed = secure || allowInsecure;
    }

    public async ValueTask InterceptAsync(RpcClientCallContext context, RpcClientContinuation next)
    {
        if (!_allowed)
        {
            throw new InvalidOperationException(
                $"The call to {context.Method} was not sent: call credentials never travel over a plaintext connection. Set RpcClientOptions.Tls, or AllowInsecureCallCredentials on a network you trust.");
        }
        await _credentials(new RpcCallCredentialsContext(context.Method, context.CancellationToken), context.RequestHeaders).ConfigureAwait(false);
        await next(context).ConfigureAwait(false);
    }
}
