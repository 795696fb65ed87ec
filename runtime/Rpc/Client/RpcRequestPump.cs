using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;

namespace Rpc.Client;

/// <summary>Sends a client's request stream: enumerates it as the server's credit allows, then ends it.</summary>
internal abstract class RpcRequestPump
{
    /// <summary>Runs until the stream is sent or <paramref name="cancellationToken"/> (the call ended) fires.</summary>
    public abstract Task RunAsync(RpcClientStreamCall call, CancellationToken cancellationToken);
}

/// <summary>The request stream of one call, with its item type.</summary>
internal sealed class RpcRequestPump<TRequest> : RpcRequestPump
{
    private readonly IAsyncEnumerable<TRequest> _requests;

    public RpcRequestPump(IAsyncEnumerable<TRequest> requests) => _requests = requests;

    public override async Task RunAsync(RpcClientStreamCall call, CancellationToken cancellationToken)
    {
        // The caller's enumerable may do synchronous work first: never on the thread that started the call.
        await Task.Yield();
        var buffer = new RpcFrameBuffer();
        IAsyncEnumerator<TRequest>? requests = null;
        try
        {
            requests = _requests.GetAsyncEnumerator(cancellationToken);
            RpcStreamSender window = call.RequestWindow!;
            while (true)
            {
                // Credit first, then the next item: a producer is never asked for more than can be sent. Items
                // queued so far go out before the pump waits for either.
                ValueTask credit = window.WaitAsync(cancellationToken);
                RpcStreamItemWriter.FlushIfPending(call.Connection, credit.IsCompleted);
                await credit.ConfigureAwait(false);
                ValueTask<bool> next = requests.MoveNextAsync();
                RpcStreamItemWriter.FlushIfPending(call.Connection, next.IsCompleted);
                if (!await next.ConfigureAwait(false))
                {
                    break;
                }
                if (call.IsCompleted || !RpcStreamItemWriter.Send(call.Connection, window, buffer, call.SerializerOptions, call.CallId, requests.Current, call.Method))
                {
                    return;
                }
            }
            call.EndRequests();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call ended (completed, cancelled or failed) while its requests were still being sent.
        }
        catch (Exception ex)
        {
            call.FailFromRequests(ex);
        }
        finally
        {
            RpcStreamItemWriter.FlushIfPending(call.Connection, nextIsCompleted: false);
            buffer.Clear();
            if (requests is not null)
            {
                try
                {
                    await requests.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    call.FailFromRequests(ex);
                }
            }
        }
    }
}
