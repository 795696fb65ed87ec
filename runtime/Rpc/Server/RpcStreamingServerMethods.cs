using System.Collections.Generic;
using System.Threading.Tasks;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>A server-streaming method: one request, a stream of responses ended by StreamEnd.</summary>
internal sealed class RpcServerStreamingMethod<TService, TResponse> : RpcServerMethod where TService : class
{
    private readonly TService _service;
    private readonly RpcServerStreamingHandler<TService, TResponse> _handler;

    public RpcServerStreamingMethod(RpcMethodDescriptor descriptor, TService service, RpcServerStreamingHandler<TService, TResponse> handler)
        : base(descriptor, sendsStream: true)
    {
        _service = service;
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    public override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context)
    {
        IAsyncEnumerable<TResponse> responses;
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            responses = _handler(_service, ref reader, call.CancellationToken);
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
internal sealed class RpcClientStreamingMethod<TService, TRequest, TResult> : RpcServerMethod where TService : class
{
    private readonly TService _service;
    private readonly RpcClientStreamingHandler<TService, TRequest, TResult> _handler;

    public RpcClientStreamingMethod(RpcMethodDescriptor descriptor, TService service, RpcClientStreamingHandler<TService, TRequest, TResult> handler)
        : base(descriptor, receivesStream: true)
    {
        _service = service;
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    public override async ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context) =>
        context.Result = await StartHandler(call).ConfigureAwait(false);

    private ValueTask<TResult> StartHandler(RpcServerCall call)
    {
        var requests = new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor);
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            return _handler(_service, ref reader, requests, call.CancellationToken);
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
internal sealed class RpcClientStreamingMethod<TService, TRequest> : RpcServerMethod where TService : class
{
    private readonly TService _service;
    private readonly RpcClientStreamingHandler<TService, TRequest> _handler;

    public RpcClientStreamingMethod(RpcMethodDescriptor descriptor, TService service, RpcClientStreamingHandler<TService, TRequest> handler)
        : base(descriptor, receivesStream: true)
    {
        _service = service;
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    public override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context)
    {
        var requests = new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor);
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            return _handler(_service, ref reader, requests, call.CancellationToken);
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
internal sealed class RpcDuplexStreamingMethod<TService, TRequest, TResponse> : RpcServerMethod where TService : class
{
    private readonly TService _service;
    private readonly RpcDuplexStreamingHandler<TService, TRequest, TResponse> _handler;

    public RpcDuplexStreamingMethod(RpcMethodDescriptor descriptor, TService service, RpcDuplexStreamingHandler<TService, TRequest, TResponse> handler)
        : base(descriptor, receivesStream: true, sendsStream: true)
    {
        _service = service;
        _handler = handler;
    }

    public override void Execute(RpcServerCall call) => _ = ExecuteWithContextAsync(call);

    public override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context)
    {
        var requests = new RpcRequestStream<TRequest>(call.RequestStream!, call.SerializerOptions, Descriptor);
        IAsyncEnumerable<TResponse> responses;
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            responses = _handler(_service, ref reader, requests, call.CancellationToken);
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
