using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;

namespace Rpc.Server;

/// <summary>One method a server dispatches to: the bound service instance and its generated handler.</summary>
internal abstract class RpcServerMethod
{
    protected RpcServerMethod(RpcMethodDescriptor descriptor, bool receivesStream = false, bool sendsStream = false)
    {
        Descriptor = descriptor;
        ReceivesStream = receivesStream;
        SendsStream = sendsStream;
    }

    public RpcMethodDescriptor Descriptor { get; }

    /// <summary>True when the client sends a request stream (client and duplex streaming).</summary>
    public bool ReceivesStream { get; }

    /// <summary>True when the server sends a response stream (server and duplex streaming).</summary>
    public bool SendsStream { get; }

    /// <summary>Runs the call on the current (thread-pool) thread and, eventually, completes it exactly once.</summary>
    public abstract void Execute(RpcServerCall call);

    /// <summary>
    /// The end of the interceptor chain: reads the arguments, runs the handler, sends its response stream if it has
    /// one, and leaves a result in <see cref="RpcContext.Result"/>. Undecodable arguments throw
    /// <see cref="RpcException"/>(<see cref="RpcStatusCode.InvalidArgument"/>).
    /// </summary>
    public abstract ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context);

    /// <summary>Completes a call with a context after its handler (and interceptors) succeeded.</summary>
    protected abstract void Complete(RpcServerCall call, RpcContext context);

    /// <summary>
    /// Runs a call that has a context: makes it <see cref="RpcContext.Current"/>, runs the interceptors (if any)
    /// around the handler, then completes the call.
    /// </summary>
    protected async Task ExecuteWithContextAsync(RpcServerCall call)
    {
        RpcContext context = call.Context!;
        // Set inside this async method, so it flows into the handler and is undone when the method returns.
        RpcContext.SetCurrent(context);
        try
        {
            RpcServerInterceptorPipeline? interceptors = context.Observed ? call.ObservedInterceptors : call.Interceptors;
            if (interceptors is null)
            {
                await InvokeHandlerAsync(call, context).ConfigureAwait(false);
            }
            else
            {
                await interceptors.RunAsync(context).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        Complete(call, context);
    }

    /// <summary>Completes with the result in the context (the handler's, or an interceptor's).</summary>
    protected static void CompleteWithContextResult<TResult>(RpcServerCall call, RpcContext context)
    {
        TResult result;
        try
        {
            result = context.GetResult<TResult>();
        }
        catch (RpcException ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        call.CompleteWithResult(result);
    }
}

/// <summary>
/// A method of <typeparamref name="TService"/>: served by one instance for every call, or by an instance that an
/// <see cref="IRpcServiceActivator{TService}"/> makes for each call and whose lifetime ends with the call.
/// </summary>
internal abstract class RpcServerMethod<TService> : RpcServerMethod where TService : class
{
    protected RpcServerMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, bool receivesStream = false, bool sendsStream = false)
        : base(descriptor, receivesStream, sendsStream)
    {
        if ((service is null) == (activator is null))
        {
            throw new ArgumentException("A method is served either by an instance or by an activator.");
        }
        Service = service;
        Activator = activator;
    }

    /// <summary>The instance serving every call; null when <see cref="Activator"/> makes one per call.</summary>
    protected TService? Service { get; }

    /// <summary>Makes the instance for each call; null when <see cref="Service"/> serves them all.</summary>
    protected IRpcServiceActivator<TService>? Activator { get; }

    public sealed override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context) =>
        Activator is null ? InvokeHandlerAsync(call, context, Service!) : InvokeActivatedHandlerAsync(call, context);

    /// <summary><see cref="RpcServerMethod.InvokeHandlerAsync(RpcServerCall, RpcContext)"/> with the instance that serves this call.</summary>
    protected abstract ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service);

    private async ValueTask InvokeActivatedHandlerAsync(RpcServerCall call, RpcContext context)
    {
        TService service = Activator!.Activate(out IAsyncDisposable? lifetime);
        try
        {
            await InvokeHandlerAsync(call, context, service).ConfigureAwait(false);
        }
        finally
        {
            if (lifetime is not null)
            {
                await lifetime.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>
/// A method shape of <typeparamref name="TService"/> whose handler, once it has read its arguments, returns
/// <typeparamref name="TStarted"/>: a pending result, or the stream of responses.
/// </summary>
internal abstract class RpcServerMethod<TService, TStarted> : RpcServerMethod<TService> where TService : class
{
    protected RpcServerMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, bool receivesStream = false, bool sendsStream = false)
        : base(descriptor, service, activator, receivesStream, sendsStream)
    {
    }

    /// <summary>Calls the shape's handler, which reads its arguments from <paramref name="arguments"/> first.</summary>
    protected abstract TStarted Start(TService service, ref RpcReader arguments, RpcServerCall call);

    /// <summary>
    /// The one argument-reading and error-mapping block of every method shape: the handler reads the request's
    /// arguments, whose bytes are released as soon as it returns; arguments that cannot be read are the caller's
    /// fault (<see cref="RpcStatusCode.InvalidArgument"/>), whatever else the handler throws is its own.
    /// </summary>
    protected TStarted StartHandler(RpcServerCall call, TService service)
    {
        try
        {
            var reader = new RpcReader(call.Payload, call.SerializerOptions);
            return Start(service, ref reader, call);
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
}

/// <summary>A unary method with a result.</summary>
internal sealed class RpcUnaryServerMethod<TService, TResult> : RpcServerMethod<TService, ValueTask<TResult>> where TService : class
{
    private readonly RpcUnaryHandler<TService, TResult> _handler;
    private readonly RpcFormatterCache<TResult> _resultFormatter = new();

    public RpcUnaryServerMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcUnaryHandler<TService, TResult> handler)
        : base(descriptor, service, activator)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call)
    {
        if (call.Context is not null)
        {
            _ = ExecuteWithContextAsync(call);
            return;
        }
        if (Activator is not null)
        {
            _ = ExecuteActivatedAsync(call);
            return;
        }
        ValueTask<TResult> pending;
        RpcServerCall.HandlerScope handler = RpcServerCall.EnterHandler(call);
        try
        {
            pending = StartHandler(call, Service!);
        }
        catch (Exception ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        finally
        {
            RpcServerCall.ExitHandler(call, handler);
        }
        if (pending.IsCompletedSuccessfully)
        {
            call.CompleteWithResult(pending.Result, _resultFormatter, handler.Slot);
            return;
        }
        RpcHandlerAwaiter<TResult>.Await(pending, call);
    }

    protected override async ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service) =>
        context.Result = await StartHandler(call, service).ConfigureAwait(false);

    protected override void Complete(RpcServerCall call, RpcContext context) => CompleteWithContextResult<TResult>(call, context);

    /// <summary>A plain call (no context) of a service activated per call: its lifetime ends before the result is sent.</summary>
    private async Task ExecuteActivatedAsync(RpcServerCall call)
    {
        TResult result;
        try
        {
            TService service = Activator!.Activate(out IAsyncDisposable? lifetime);
            try
            {
                RpcServerCall.HandlerScope handler = RpcServerCall.EnterHandler(call);
                ValueTask<TResult> pending;
                try
                {
                    pending = StartHandler(call, service);
                }
                finally
                {
                    RpcServerCall.ExitHandler(call, handler);
                }
                result = await pending.ConfigureAwait(false);
            }
            finally
            {
                if (lifetime is not null)
                {
                    await lifetime.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        call.CompleteWithResult(result, _resultFormatter);
    }

    protected override ValueTask<TResult> Start(TService service, ref RpcReader arguments, RpcServerCall call) =>
        _handler(service, ref arguments, call.CancellationToken);
}

/// <summary>A unary or one-way method without a result.</summary>
internal sealed class RpcUnaryServerMethod<TService> : RpcServerMethod<TService, ValueTask> where TService : class
{
    private readonly RpcUnaryHandler<TService> _handler;

    public RpcUnaryServerMethod(RpcMethodDescriptor descriptor, TService? service, IRpcServiceActivator<TService>? activator, RpcUnaryHandler<TService> handler)
        : base(descriptor, service, activator)
    {
        _handler = handler;
    }

    public override void Execute(RpcServerCall call)
    {
        if (call.Context is not null)
        {
            _ = ExecuteWithContextAsync(call);
            return;
        }
        if (Activator is not null)
        {
            _ = ExecuteActivatedAsync(call);
            return;
        }
        ValueTask pending;
        RpcServerCall.HandlerScope handler = RpcServerCall.EnterHandler(call);
        try
        {
            pending = StartHandler(call, Service!);
        }
        catch (Exception ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        finally
        {
            RpcServerCall.ExitHandler(call, handler);
        }
        if (pending.IsCompletedSuccessfully)
        {
            call.CompleteWithoutResult();
            return;
        }
        RpcHandlerAwaiter.Await(pending, call);
    }

    protected override ValueTask InvokeHandlerAsync(RpcServerCall call, RpcContext context, TService service) => StartHandler(call, service);

    protected override void Complete(RpcServerCall call, RpcContext context) => call.CompleteWithoutResult();

    /// <summary>A plain call (no context) of a service activated per call: its lifetime ends before the response is sent.</summary>
    private async Task ExecuteActivatedAsync(RpcServerCall call)
    {
        try
        {
            TService service = Activator!.Activate(out IAsyncDisposable? lifetime);
            try
            {
                RpcServerCall.HandlerScope handler = RpcServerCall.EnterHandler(call);
                ValueTask pending;
                try
                {
                    pending = StartHandler(call, service);
                }
                finally
                {
                    RpcServerCall.ExitHandler(call, handler);
                }
                await pending.ConfigureAwait(false);
            }
            finally
            {
                if (lifetime is not null)
                {
                    await lifetime.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        call.CompleteWithoutResult();
    }

    protected override ValueTask Start(TService service, ref RpcReader arguments, RpcServerCall call) =>
        _handler(service, ref arguments, call.CancellationToken);
}

/// <summary>
/// Waits for a handler that did not finish synchronously, then completes its call. Pooled, with its continuation
/// delegate made once per instance, so an asynchronous handler costs no closure or state machine here.
/// </summary>
internal sealed class RpcHandlerAwaiter<TResult>
{
    private static readonly RpcObjectPool<RpcHandlerAwaiter<TResult>> s_pool = new(RpcObjectPool.CallCapacity, perThreadCache: true);

    private readonly Action _onCompleted;
    private ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter _awaiter;
    private RpcServerCall? _call;

    private RpcHandlerAwaiter() => _onCompleted = OnCompleted;

    public static void Await(ValueTask<TResult> pending, RpcServerCall call)
    {
        RpcHandlerAwaiter<TResult> awaiter = s_pool.TryRent() ?? new RpcHandlerAwaiter<TResult>();
        var taskAwaiter = pending.ConfigureAwait(false).GetAwaiter();
        awaiter._call = call;
        awaiter._awaiter = taskAwaiter;
        // Nothing touches the pooled object after this line: the continuation may already be recycling it.
        taskAwaiter.UnsafeOnCompleted(awaiter._onCompleted);
    }

    private void OnCompleted()
    {
        RpcServerCall call = _call!;
        ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter = _awaiter;
        _call = null;
        _awaiter = default;
        s_pool.Return(this);
        TResult result;
        try
        {
            result = awaiter.GetResult();
        }
        catch (Exception ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        call.CompleteWithResult(result);
    }
}

/// <summary>The same as <see cref="RpcHandlerAwaiter{TResult}"/>, for handlers without a result.</summary>
internal sealed class RpcHandlerAwaiter
{
    private static readonly RpcObjectPool<RpcHandlerAwaiter> s_pool = new(RpcObjectPool.CallCapacity, perThreadCache: true);

    private readonly Action _onCompleted;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _awaiter;
    private RpcServerCall? _call;

    private RpcHandlerAwaiter() => _onCompleted = OnCompleted;

    public static void Await(ValueTask pending, RpcServerCall call)
    {
        RpcHandlerAwaiter awaiter = s_pool.TryRent() ?? new RpcHandlerAwaiter();
        var taskAwaiter = pending.ConfigureAwait(false).GetAwaiter();
        awaiter._call = call;
        awaiter._awaiter = taskAwaiter;
        // Nothing touches the pooled object after this line: the continuation may already be recycling it.
        taskAwaiter.UnsafeOnCompleted(awaiter._onCompleted);
    }

    private void OnCompleted()
    {
        RpcServerCall call = _call!;
        ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter awaiter = _awaiter;
        _call = null;
        _awaiter = default;
        s_pool.Return(this);
        try
        {
            awaiter.GetResult();
        }
        catch (Exception ex)
        {
            call.CompleteWithException(ex);
            return;
        }
        call.CompleteWithoutResult();
    }
}
