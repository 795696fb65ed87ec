using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rpc.TestServer;

namespace Rpc.Etcd.Tests;

/// <summary>
/// Steady load on a balanced client: callers that call again as soon as a call returns, recording which server
/// answered (and when) and every failure.
/// </summary>
internal sealed class ProbeLoad
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(long Tick, string Name)> _answers = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly Task[] _callers;

    /// <param name="call">One call; returns the name of the server that answered.</param>
    public ProbeLoad(IProbe probe, Func<IProbe, int, Task<string>> call, int callers = 8)
    {
        _callers = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (int i = 0; !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    string name = await call(probe, caller * 1_000_000 + i);
                    _answers.Enqueue((Environment.TickCount64, name));
                }
                catch (Exception ex)
                {
                    _failures.Enqueue(ex);
                }
            }
        })).ToArray();
    }

    public int Calls => _answers.Count;

    public IReadOnlyCollection<Exception> Failures => _failures;

    /// <summary>Calls answered since <paramref name="tick"/> (Environment.TickCount64), by server name.</summary>
    public Dictionary<string, int> AnsweredSince(long tick) => _answers
        .Where(answer => answer.Tick >= tick)
        .GroupBy(answer => answer.Name)
        .ToDictionary(group => group.Key, group => group.Count());

    /// <summary>Waits until a server named <paramref name="name"/> has answered a call made after now.</summary>
    public async Task WaitForAnswerFromAsync(string name, TimeSpan timeout)
    {
        long since = Environment.TickCount64;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!_answers.Any(answer => answer.Tick >= since && answer.Name == name))
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"{name} answered no call within {timeout}; answered since: {Describe(AnsweredSince(since))}");
            }
            await Task.Delay(20);
        }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_callers).WaitAsync(TimeSpan.FromSeconds(30));
        _stop.Dispose();
    }

    public static string Describe(Dictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}"));

    public string DescribeFailures() =>
        string.Join(" | ", _failures.Take(5).Select(failure => $"{failure.GetType().Name}: {failure.Message}"));
}
