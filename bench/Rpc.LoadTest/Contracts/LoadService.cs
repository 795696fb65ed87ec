using System.Runtime.CompilerServices;

namespace Rpc.LoadTest.Contracts;

/// <summary>The server side of <see cref="ILoadService"/>: builds replies and items synchronously, as an echo service would.</summary>
public sealed class LoadService : ILoadService
{
    /// <inheritdoc />
    public ValueTask<string> EchoAsync(EchoRequest request) => new(Payload.Reply(request.Text));

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamItem> StreamAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++)
        {
            yield return new StreamItem(i, i * 7L);
        }
        await Task.CompletedTask;
    }
}
