using System.Threading;
using System.Threading.Tasks;

namespace Rpc.Tests.Manual;

/// <summary>
/// The test service. It carries no [RpcService] attribute: until the generator is ready, its proxy and binder
/// are written by hand (<see cref="CalculatorServiceProxy"/>, <see cref="CalculatorServiceBinder"/>) exactly as
/// the generator will emit them.
/// </summary>
public interface ICalculatorService
{
    ValueTask<int> AddAsync(int a, int b, CancellationToken cancellationToken = default);

    Task<string> EchoAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Waits, observing cancellation (and recording that it did).</summary>
    ValueTask SleepAsync(int milliseconds, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="RpcException"/> with <paramref name="statusCode"/>, or <see cref="System.InvalidOperationException"/> when it is negative.</summary>
    ValueTask FailAsync(int statusCode, string message, CancellationToken cancellationToken = default);

    /// <summary>No arguments, no result.</summary>
    ValueTask ResetAsync();

    /// <summary>A result of <paramref name="count"/> bytes, for frame-size tests.</summary>
    ValueTask<byte[]> GetBytesAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>Blocks its thread (no await) for <paramref name="milliseconds"/>, then returns it.</summary>
    ValueTask<int> BlockAsync(int milliseconds);

    /// <summary>One-way: the server sends no response.</summary>
    ValueTask NotifyAsync(string message);
}
