using System.Collections.Generic;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>A server-streaming method: one request, a stream of responses ended by StreamEnd.</summary>
internal sealed class RpcServerStreamingMethod<TService, TResponse> : RpcServerMethod<TService> where TService : class
{
    private readonly RpcServerStreamingHandler<TService, TResponse> _handler;

    public RpcServerStreamingMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcServerStreamingHandler<TService, TResponse> handler)
        : base(descriptor, service, activator, sendsStream: true)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    protected override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service)
    {
        IAsyncEnumerable<TResponse> responses;
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            responses = _handler(service, ref reader, call.CancellationToken);
        }
        catch (RpcSerializationException ex)
        {
            throw call.CreateInvalidArguments(ex);
        }
        finally
        {
            call.ReleasePayload();
        }
        return RpcServerStreamWriter.WriteAsync(call, responses);
    }

    protected override void Complete(RpcServerCall call, RpcContext context) => call.CompleteStream();
}

/// <summary>A client-streaming method with a result: a request and a stream of requests, one response.</summary>
internal sealed class RpcClientStreamingMethod<TService, TRequest, TResult> : RpcServerMethod<TService> where TService : class
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

    private ValueTask<TResult> StartHandler(RpcServerCall call, TService service)
    {
        var requests = new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor);
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            return _handler(service, ref reader, requests, call.CancellationToken);
        }
        catch (RpcSerializationException ex)
        {
            throw call.CreateInvalidArguments(ex);
        }
        finally
        {
            call.ReleasePayload();
        }
    }

    protected override void Complete(RpcServerCall call, RpcContext context) => CompleteWithContextResult<TResult>(call, context);
}

/// <summary>A client-streaming method without a result.</summary>
internal sealed class RpcClientStreamingMethod<TService, TRequest> : RpcServerMethod<TService> where TService : class
{
    private readonly RpcClientStreamingHandler<TService, TRequest> _handler;

    public RpcClientStreamingMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcClientStreamingHandler<TService, TRequest> handler)
        : base(descriptor, service, activator, receivesStream: true)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    protected override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service)
    {
        var requests = new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor);
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            return _handler(service, ref reader, requests, call.CancellationToken);
        }
        catch (RpcSerializationException ex)
        {
            throw call.CreateInvalidArguments(ex);
        }
        finally
        {
            call.ReleasePayload();
        }
    }

    protected override void Complete(RpcServerCall call, RpcContext context) => call.CompleteWithoutResult();
}

/// <summary>A duplex method: streams both ways; the call ends with the response stream.</summary>
internal sealed class RpcDuplexStreamingMethod<TService, TRequest, TResponse> : RpcServerMethod<TService> where TService : class
{
    private readonly RpcDuplexStreamingHandler<TService, TRequest, TResponse> _handler;

    public RpcDuplexStreamingMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcDuplexStreamingHandler<TService, TRequest, TResponse> handler)
        : base(descriptor, service, activator, receivesStream: true, sendsStream: true)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    protected override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service)
    {
        var requests = new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor);
        IAsyncEnumerable<TResponse> responses;
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            responses = _handler(service, ref reader, requests, call.CancellationToken);
        }
        catch (RpcSerializationException ex)
        {
            throw call.CreateInvalidArguments(ex);
        }
        finally
        {
            call.ReleasePayload();
        }
        return RpcServerStreamWriter.WriteAsync(call, responses);
    }

    protected override void Complete(RpcServerCall call, RpcContext context) => call.CompleteStream();
}
