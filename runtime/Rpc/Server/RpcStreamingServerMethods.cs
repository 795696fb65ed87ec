using System.Collections.Generic;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>A server-streaming method: one request, a stream of responses ended by StreamEnd.</summary>
internal sealed class RpcServerStreamingMethod<TService, TResponse> : RpcServerMethod<TService, IAsyncEnumerable<TResponse>> where TService : class
{
    private readonly RpcServerStreamingHandler<TService, TResponse> _handler;

    public RpcServerStreamingMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcServerStreamingHandler<TService, TResponse> handler)
        : base(descriptor, service, activator, sendsStream: true)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    protected override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service) =>
        RpcServerStreamWriter.WriteAsync(call, StartHandler(call, service));

    protected override IAsyncEnumerable<TResponse> Start(TService service, ref RpcReader arguments, RpcServerCall call) =>
        _handler(service, ref arguments, call.CancellationToken);

    protected override void Complete(RpcServerCall call, RpcContext context) => call.CompleteStream();
}

/// <summary>A client-streaming method with a result: a request and a stream of requests, one response.</summary>
internal sealed class RpcClientStreamingMethod<TService, TRequest, TResult> : RpcServerMethod<TService, ValueTask<TResult>> where TService : class
{
    private readonly RpcClientStreamingHandler<TService, TRequest, TResult> _handler;

    public RpcClientStreamingMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcClientStreamingHandler<TService, TRequest, TResult> handler)
        : base(descriptor, service, activator, receivesStream: true)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    protected override async ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service) =>
        context.Result = await StartHandler(call, service).ConfigureAwait(false);

    protected override ValueTask<TResult> Start(TService service, ref RpcReader arguments, RpcServerCall call) =>
        _handler(service, ref arguments, new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor), call.CancellationToken);

    protected override void Complete(RpcServerCall call, RpcContext context) => CompleteWithContextResult<TResult>(call, context);
}

/// <summary>A client-streaming method without a result.</summary>
internal sealed class RpcClientStreamingMethod<TService, TRequest> : RpcServerMethod<TService, ValueTask> where TService : class
{
    private readonly RpcClientStreamingHandler<TService, TRequest> _handler;

    public RpcClientStreamingMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcClientStreamingHandler<TService, TRequest> handler)
        : base(descriptor, service, activator, receivesStream: true)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    protected override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service) => StartHandler(call, service);

    protected override ValueTask Start(TService service, ref RpcReader arguments, RpcServerCall call) =>
        _handler(service, ref arguments, new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor), call.CancellationToken);

    protected override void Complete(RpcServerCall call, RpcContext context) => call.CompleteWithoutResult();
}

/// <summary>A duplex method: streams both ways; the call ends with the response stream.</summary>
internal sealed class RpcDuplexStreamingMethod<TService, TRequest, TResponse> : RpcServerMethod<TService, IAsyncEnumerable<TResponse>> where TService : class
{
    private readonly RpcDuplexStreamingHandler<TService, TRequest, TResponse> _handler;

    public RpcDuplexStreamingMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcDuplexStreamingHandler<TService, TRequest, TResponse> handler)
        : base(descriptor, service, activator, receivesStream: true, sendsStream: true)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    protected override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service) =>
        RpcServerStreamWriter.WriteAsync(call, StartHandler(call, service));

    protected override IAsyncEnumerable<TResponse> Start(TService service, ref RpcReader arguments, RpcServerCall call) =>
        _handler(service, ref arguments, new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor), call.CancellationToken);

    protected override void Complete(RpcServerCall call, RpcContext context) => call.CompleteStream();
}
