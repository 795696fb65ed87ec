using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Fuzzing;

/// <summary>The service behind the server connection target: one method of each call shape, none of which fails.</summary>
[RpcService]
public interface IFuzzService
{
    ValueTask<Order> EchoAsync(Order order);

    ValueTask<int> AddAsync(int a, int b);

    [RpcOneWay]
    Task NotifyAsync(string note);

    IAsyncEnumerable<int> CountAsync(int count, CancellationToken cancellationToken = default);

    Task<int> SumAsync(IAsyncEnumerable<int> values, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Profile> EchoProfilesAsync(IAsyncEnumerable<Profile> profiles, CancellationToken cancellationToken = default);
}

/// <summary>
/// Answers without failing, so that any error the server sends for a call is the runtime's own doing: a handler
/// exception here would hide exactly what the target looks for.
/// </summary>
public sealed class FuzzService : IFuzzService
{
    // A stream the input asks for is cut to this many items: the target measures the runtime, not a loop.
    private const int MaxStreamItems = 8;

    public ValueTask<Order> EchoAsync(Order order) => ValueTask.FromResult(order);

    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(unchecked(a + b));

    public Task NotifyAsync(string note) => Task.CompletedTask;

    public async IAsyncEnumerable<int> CountAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count && i < MaxStreamItems; i++)
        {
            yield return i;
            await Task.Yield();
        }
    }

    public async Task<int> SumAsync(IAsyncEnumerable<int> values, CancellationToken cancellationToken = default)
    {
        int sum = 0;
        await foreach (int value in values.WithCancellation(cancellationToken))
        {
            sum = unchecked(sum + value);
        }
        return sum;
    }

    public async IAsyncEnumerable<Profile> EchoProfilesAsync(IAsyncEnumerable<Profile> profiles, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (Profile profile in profiles.WithCancellation(cancellationToken))
        {
            yield return profile;
        }
    }
}
