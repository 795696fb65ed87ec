using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Client;
using Rpc.Protocol;
using Rpc.Server;
using Rpc.Transport;
using Rpc.Tests.Manual;
using Rpc.Tests.Support;
using Xunit;

namespace Rpc.Tests;

public sealed class KeepAliveAndDrainTests
{
    [Fact]
    public async Task A_client_that_floods_pings_gets_a_GoAway_and_is_closed_while_another_client_goes_on()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
            var flood = new List<byte>();
            for (int i = 0; i < 10; i++)
            {
                flood.AddRange(RawConnection.Frame((byte)RpcFrameType.Ping, 0, 0, 0, "flooding"u8));
            }
            await raw.SendAsync(flood.ToArray());
            var types = new List<RpcFrameType>();
            while (await raw.ReadFrameAsync().WaitAsync(TestHost.Timeout) is { } frame)
            {
                types.Add(frame.Header.Type);
            }
            Assert.Contains(RpcFrameType.GoAway, types);
            Assert.True(types.FindAll(t => t == RpcFrameType.Pong).Count <= RpcServerConnection.MaxPingStrikes + 1);
            Assert.Equal(3, await proxy.AddAsync(1, 2).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task Pings_at_the_allowed_rate_are_answered_and_keep_the_connection()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { MinClientPingInterval = TimeSpan.FromMilliseconds(20) });
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        for (int i = 0; i < 5; i++)
        {
            await raw.SendAsync(RawConnection.Frame((byte)RpcFrameType.Ping, 0, 0, 0, "keepaliv"u8));
            var frame = await raw.ReadFrameAsync().WaitAsync(TestHost.Timeout);
            Assert.Equal(RpcFrameType.Pong, frame!.Value.Header.Type);
            await Task.Delay(40);
        }
    }

    [Fact]
    public async Task A_server_pings_a_silent_client_and_closes_it_when_nothing_comes_back()
    {
        var options = new RpcServerOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(100), KeepAliveTimeout = TimeSpan.FromMilliseconds(100) };
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, options);
        await using RawConnection raw = await RawConnection.ConnectAndHandshakeAsync(host.EndPoint);
        var stopwatch = Stopwatch.StartNew();
        // The raw client reads but never answers: a Ping arrives, then the connection closes.
        var first = await raw.ReadFrameAsync().WaitAsync(TestHost.Timeout);
        Assert.Equal(RpcFrameType.Ping, first!.Value.Header.Type);
        await raw.ReadUntilClosedAsync().WaitAsync(TestHost.Timeout);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"closed after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_MaxConnectionIdle_and_the_client_reconnects_when_called()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { MaxConnectionIdle = TimeSpan.FromMilliseconds(200) });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            Assert.Equal(2, await proxy.AddAsync(1, 1).AsTask().WaitAsync(TestHost.Timeout));
            await StreamingTests.WaitUntilAsync(() => client.Subchannel.Reconnects >= 1);
            Assert.Equal(4, await proxy.AddAsync(2, 2).AsTask().WaitAsync(TestHost.Timeout));
        }
    }

    [Fact]
    public async Task A_connection_past_MaxConnectionAge_is_drained_without_failing_calls()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp, new RpcServerOptions { MaxConnectionAge = TimeSpan.FromMilliseconds(200) });
        (RpcClient client, ICalculatorService proxy) = await host.ConnectProxyAsync();
        await using (client)
        {
            var stopwatch = Stopwatch.StartNew();
            int calls = 0;
            while (client.Subchannel.Reconnects < 2 && stopwatch.Elapsed < TestHost.Timeout)
            {
                Assert.Equal(calls + 1, await proxy.AddAsync(calls, 1).AsTask().WaitAsync(TestHost.Timeout));
                calls++;
            }
            Assert.True(client.Subchannel.Reconnects >= 2);
        }
    }

    [Fact]
    public void The_reconnect_backoff_grows_by_the_multiplier_up_to_the_maximum_within_the_jitter()
    {
        var backoff = new RpcConnectionBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), 1.6, 0.2);
        Assert.Equal(1000, backoff.Delay(1, 0.5).TotalMilliseconds, 3);
        Assert.Equal(1600, backoff.Delay(2, 0.5).TotalMilliseconds, 3);
        Assert.Equal(2560, backoff.Delay(3, 0.5).TotalMilliseconds, 3);
        Assert.Equal(800, backoff.Delay(1, 0).TotalMilliseconds, 3);
        Assert.Equal(1200, backoff.Delay(1, 1).TotalMilliseconds, 3);
        Assert.Equal(120_000, backoff.Delay(50, 0.5).TotalMilliseconds, 3);
    }

    [Fact]
    public async Task Reconnect_attempts_are_spaced_as_the_backoff_says()
    {
        await using TestHost host = await TestHost.StartAsync(TransportKind.Tcp);
        var options = new RpcClientOptions
        {
            InitialReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
            ReconnectBackoffMultiplier = 2,
            ReconnectJitter = 0.2,
        };
        await using RpcClient client = await host.ConnectAsync(options);
        var attempts = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        client.Subchannel.StateChanged += (_, state) =>
        {
            if (state == RpcConnectionState.Connecting)
            {
                lock (attempts)
                {
                    attempts.Add(clock.Elapsed);
                }
            }
        };
        await host.Server.DisposeAsync();
        await StreamingTests.WaitUntilAsync(() => { lock (attempts) { return attempts.Count >= 4; } });
        TimeSpan[] at;
        lock (attempts)
        {
            at = attempts.ToArray();
        }
        // The first attempt follows the drop at once; then 100, 200, 400 ms, each +-20% (and the attempt's own time).
        double[] expected = [100, 200, 400];
        string gaps = string.Join(", ", Enumerable.Range(1, at.Length - 1).Select(i => (at[i] - at[i - 1]).TotalMilliseconds.ToString("F0")));
        for (int i = 0; i < expected.Length; i++)
        {
            double gap = (at[i + 1] - at[i]).TotalMilliseconds;
            Assert.True(gap >= expected[i] * 0.8 - 5 && gap <= expected[i] * 1.2 + 150, $"gaps between attempts: {gaps} ms");
        }
    }

    [Fact]
    public void The_retry_budget_allows_retries_only_while_more_than_half_its_tokens_are_left()
    {
        var budget = new RpcRetryBudget(10, 0.5);
        Assert.True(budget.OnFailure());   // 9
        Assert.True(budget.OnFailure());   // 8
        Assert.True(budget.OnFailure());   // 7
        Assert.True(budget.OnFailure());   // 6
        Assert.False(budget.OnFailure());  // 5: not above half
        budget.OnSuccess();                // 5.5
        Assert.False(budget.OnFailure());  // 4.5
        for (int i = 0; i < 10; i++)
        {
            budget.OnSuccess();
        }
        Assert.True(budget.OnFailure());
    }

    public static TheoryData<Action<RpcClientOptions>> InvalidClientOptions => new()
    {
        o => o.InitialReconnectDelay = TimeSpan.Zero,
        o => o.MaxReconnectDelay = TimeSpan.FromMilliseconds(-1),
        o => { o.InitialReconnectDelay = TimeSpan.FromSeconds(2); o.MaxReconnectDelay = TimeSpan.FromSeconds(1); },
        o => o.ReconnectBackoffMultiplier = 0.5,
        o => o.ReconnectJitter = 1.5,
        o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(1),
        o => o.KeepAliveTimeout = TimeSpan.Zero,
        o => o.ConnectTimeout = TimeSpan.Zero,
        o => o.DefaultTimeout = TimeSpan.FromSeconds(-1),
        o => o.MaxFrameSize = 0,
    };

    [Theory]
    [MemberData(nameof(InvalidClientOptions))]
    public async Task An_invalid_client_option_is_refused_with_an_ArgumentException_naming_it(Action<RpcClientOptions> spoil)
    {
        var options = new RpcClientOptions();
        spoil(options);
        ArgumentException error = await Assert.ThrowsAnyAsync<ArgumentException>(() => RpcClient.ConnectAsync(new InMemoryEndPoint("nobody"), options));
        Assert.False(string.IsNullOrEmpty(error.ParamName));
    }

    public static TheoryData<Action<RpcServerOptions>> InvalidServerOptions => new()
    {
        o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(1),
        o => o.KeepAliveTimeout = TimeSpan.FromMilliseconds(-5),
        o => o.MinClientPingInterval = TimeSpan.Zero,
        o => o.MaxConnectionAge = TimeSpan.Zero,
        o => o.MaxConnectionIdle = TimeSpan.FromSeconds(-1),
        o => o.ShutdownTimeout = TimeSpan.FromSeconds(-1),
        o => o.PrefaceTimeout = TimeSpan.Zero,
    };

    [Theory]
    [MemberData(nameof(InvalidServerOptions))]
    public void An_invalid_server_option_is_refused_with_an_ArgumentException_naming_it(Action<RpcServerOptions> spoil)
    {
        var options = new RpcServerOptions();
        spoil(options);
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => new RpcServer(options));
        Assert.False(string.IsNullOrEmpty(error.ParamName));
    }

    [Fact]
    public void Retry_policy_values_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcRetryPolicy { MaxAttempts = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcRetryPolicy { InitialBackoff = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcRetryPolicy { BackoffMultiplier = 0.9 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RpcRetryPolicy { BudgetTokenRatio = 0 });
    }
}
