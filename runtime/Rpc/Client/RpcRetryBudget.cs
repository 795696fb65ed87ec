using System.Threading;

namespace Rpc.Client;

/// <summary>
/// gRPC's retry throttling: a bucket of tokens that every failed attempt with a retryable status drains by one and
/// every success refills by a fraction; retries are allowed only while more than half the tokens are left. When most
/// calls fail (a dead cluster), retries stop by themselves and resume once calls succeed again. Lock-free.
/// </summary>
internal sealed class RpcRetryBudget
{
    // Tokens are kept in thousandths so that the ratio's fractions add up exactly under Interlocked.
    private const int Scale = 1000;

    private readonly int _max;
    private readonly int _ratio;
    private int _tokens;

    public RpcRetryBudget(double maxTokens, double tokenRatio)
    {
        _max = (int)(maxTokens * Scale);
        _ratio = (int)(tokenRatio * Scale);
        _tokens = _max;
    }

    /// <summary>The tokens left, for tests and diagnostics.</summary>
    public double Tokens => Volatile.Read(ref _tokens) / (double)Scale;

    /// <summary>A call succeeded: gives back a fraction of a token.</summary>
    public void OnSuccess()
    {
        int current = Volatile.Read(ref _tokens);
        if (current < _max)
        {
            Add(_ratio);
        }
    }

    /// <summary>An attempt failed with a retryable status: takes a token; true when a retry is still allowed.</summary>
    public bool OnFailure()
    {
        int after = Add(-Scale);
        return after > _max / 2;
    }

    /// <summary>True while retries are allowed (more than half the tokens left), without taking one.</summary>
    public bool AllowsRetry => Volatile.Read(ref _tokens) > _max / 2;

    private int Add(int delta)
    {
        while (true)
        {
            int current = Volatile.Read(ref _tokens);
            int next = current + delta;
            next = next < 0 ? 0 : next > _max ? _max : next;
            if (Interlocked.CompareExchange(ref _tokens, next, current) == current)
            {
                return next;
            }
        }
    }
}
