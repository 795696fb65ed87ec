namespace Rpc.LoadTest.Contracts;

/// <summary>The server side of <see cref="ILoadService"/>: builds the reply synchronously, as an echo service would.</summary>
public sealed class LoadService : ILoadService
{
    /// <inheritdoc />
    public ValueTask<string> EchoAsync(EchoRequest request) => new(Payload.Reply(request.Text));
}
