using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;

namespace Rpc.Server;

/// <summary>Sends a handler's response stream as the client's flow control allows.</summary>
internal static class RpcServerStreamWriter
{
    /// <summary>
    /// Enumerates <paramref name="responses"/> with the call's token and sends each item, waiting for credit before
    /// asking for the next one, so a slow client slows the producer. The enumerator is always disposed, so an
    /// iterator's <c>finally</c> runs when the call ends, however it ends.
    /// </summary>
    public static async ValueTask WriteAsync<T>(RpcServerCall call, IAsyncEnumerable<T> responses)
    {
        CancellationToken cancellationToken = call.CancellationToken;
        RpcStreamSender window = call.ResponseWindow!;
        IAsyncEnumerator<T> items = responses.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                // Items queued so far go out before the pump waits for credit or for the producer.
                ValueTask credit = window.WaitAsync(cancellationToken);
                call.FlushStreamIfPending(credit.IsCompleted);
                await credit.ConfigureAwait(false);
                ValueTask<bool> next = items.MoveNextAsync();
                call.FlushStreamIfPending(next.IsCompleted);
                if (!await next.ConfigureAwait(false))
                {
                    return;
                }
                // A producer that ignores its token still stops here.
                cancellationToken.ThrowIfCancellationRequested();
                call.SendStreamItem(items.Current);
            }
        }
        finally
        {
            call.FlushStreamIfPending(nextIsCompleted: false);
            await items.DisposeAsync().ConfigureAwait(false);
        }
    }
}
