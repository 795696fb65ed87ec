using System;
using System.Collections.Generic;

namespace Rpc;

/// <summary>
/// How a client retries calls to methods marked <see cref="RpcIdempotentAttribute"/> that failed after they may have
/// reached the server. Attempts are spaced by an exponential backoff with full jitter, all within the call's one
/// deadline, and a retry budget (gRPC's retry throttling: a token bucket that failures drain and successes refill)
/// stops retries while most calls fail, so that a dead cluster is not hammered. Calls the server provably never saw
/// are sent again once for every method, outside this policy (transparent retry).
/// </summary>
public sealed class RpcRetryPolicy
{
    private readonly int _maxAttempts = 3;
    private readonly TimeSpan _initialBackoff = TimeSpan.FromMilliseconds(100);
    private readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(1);
    private readonly double _backoffMultiplier = 2;
    private readonly double _budgetMaxTokens = 10;
    private readonly double _budgetTokenRatio = 0.1;

    /// <summary>Attempts in all, the first included: 2 to 10. Default 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 2 to 10.</exception>
    public int MaxAttempts
    {
        get => _maxAttempts;
        init => _maxAttempts = value is >= 2 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "MaxAttempts must be between 2 and 10.");
    }

    /// <summary>The upper bound of the first retry's random delay. Positive; default 100 ms.</summary>
    public TimeSpan InitialBackoff
    {
        get => _initialBackoff;
        init => _initialBackoff = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(InitialBackoff), value, "InitialBackoff must be positive.");
    }

    /// <summary>The largest upper bound a retry's delay grows to. At least <see cref="InitialBackoff"/> (checked when used); default 1 s.</summary>
    public TimeSpan MaxBackoff
    {
        get => _maxBackoff;
        init => _maxBackoff = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxBackoff), value, "MaxBackoff must be positive.");
    }

    /// <summary>How much the delay's bound grows per retry. At least 1; default 2.</summary>
    public double BackoffMultiplier
    {
        get => _backoffMultiplier;
        init => _backoffMultiplier = value >= 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(BackoffMultiplier), value, "BackoffMultiplier must be a finite number of at least 1.");
    }

    /// <summary>
    /// The statuses that are retried. Default <see cref="RpcStatusCode.Unavailable"/> only. Cancelled and
    /// DeadlineExceeded are never retried: they end the call whatever this says.
    /// </summary>
    public IReadOnlyCollection<RpcStatusCode> RetryableStatusCodes { get; init; } = new[] { RpcStatusCode.Unavailable };

    /// <summary>
    /// The retry budget's size in tokens (gRPC's <c>maxTokens</c>): every failed attempt with a retryable status
    /// takes one, every success gives back <see cref="BudgetTokenRatio"/>, and retries stop while at most half are
    /// left. 1 to 1000; default 10.
    /// </summary>
    public double BudgetMaxTokens
    {
        get => _budgetMaxTokens;
        init => _budgetMaxTokens = value is >= 1 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(BudgetMaxTokens), value, "BudgetMaxTokens must be between 1 and 1000.");
    }

    /// <summary>Tokens a successful call gives back to the budget. Above 0 and at most 1; default 0.1.</summary>
    public double BudgetTokenRatio
    {
        get => _budgetTokenRatio;
        init => _budgetTokenRatio = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BudgetTokenRatio), value, "BudgetTokenRatio must be above 0 and at most 1.");
    }

    internal bool IsRetryable(RpcStatusCode status)
    {
        if (status is RpcStatusCode.Cancelled or RpcStatusCode.DeadlineExceeded)
        {
            return false;
        }
        foreach (RpcStatusCode code in RetryableStatusCodes)
        {
            if (code == status)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first): uniform in [0, bound).</summary>
    internal TimeSpan NextDelay(int retry)
    {
        double bound = InitialBackoff.TotalMilliseconds * Math.Pow(BackoffMultiplier, retry - 1);
        bound = Math.Min(bound, Math.Max(MaxBackoff.TotalMilliseconds, InitialBackoff.TotalMilliseconds));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * bound);
    }
}
