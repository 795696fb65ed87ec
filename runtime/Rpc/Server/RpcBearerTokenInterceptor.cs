using System;
using System.Security.Claims;
using System.Threading.Tasks;

namespace Rpc;

/// <summary>
/// A server interceptor that authenticates callers by a bearer token in the <c>authorization</c> request header
/// (<c>Bearer &lt;token&gt;</c>, as <see cref="RpcClientOptions.CallCredentials"/> adds it) and, optionally,
/// authorizes them per method. Validating the token is the application's: pass a delegate that returns the caller's
/// <see cref="ClaimsPrincipal"/>, or null for a token it refuses. A missing or refused token fails the call with
/// <see cref="RpcStatusCode.Unauthenticated"/>; a caller the <c>authorize</c> delegate refuses, with
/// <see cref="RpcStatusCode.PermissionDenied"/>. On success <see cref="RpcContext.User"/> is the principal. The
/// handler never runs for a refused call.
/// </summary>
/// <example>
/// <code>
/// options.Interceptors.Add(new RpcBearerTokenInterceptor(
///     (token, context) => ValueTask.FromResult(tokens.Validate(token)),          // ClaimsPrincipal? (null: refused)
///     (user, context) => context.Method.ServiceName != "Admin" || user.IsInRole("admin")));
/// </code>
/// </example>
public sealed class RpcBearerTokenInterceptor : IRpcServerInterceptor
{
    private const string Scheme = "Bearer ";

    private readonly Func<string, RpcContext, ValueTask<ClaimsPrincipal?>> _validate;
    private readonly Func<ClaimsPrincipal, RpcContext, bool>? _authorize;

    /// <summary>Creates the interceptor.</summary>
    /// <param name="validate">Returns the caller for a valid token, null for a refused one. It may throw <see cref="RpcException"/> to choose the status.</param>
    /// <param name="authorize">Optional: true when the caller may call <see cref="RpcContext.Method"/>.</param>
    public RpcBearerTokenInterceptor(Func<string, RpcContext, ValueTask<ClaimsPrincipal?>> validate, Func<ClaimsPrincipal, RpcContext, bool>? authorize = null)
    {
        ArgumentNullException.ThrowIfNull(validate);
        _validate = validate;
        _authorize = authorize;
    }

    /// <inheritdoc />
    public async ValueTask InterceptAsync(RpcContext context, RpcServerContinuation next)
    {
        string? header = context.RequestHeaders.GetString("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            throw new RpcException(RpcStatusCode.Unauthenticated, "The call carries no bearer token.");
        }
        ClaimsPrincipal? user = await _validate(header.Substring(Scheme.Length).Trim(), context).ConfigureAwait(false);
        if (user is null)
        {
            throw new RpcException(RpcStatusCode.Unauthenticated, "The bearer token was refused.");
        }
        context.User = user;
        if (_authorize is not null && !_authorize(user, context))
        {
            throw new RpcException(RpcStatusCode.PermissionDenied, $"The caller may not call {context.Method}.");
        }
        await next(context).ConfigureAwait(false);
    }
}
