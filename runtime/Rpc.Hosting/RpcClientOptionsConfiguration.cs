using System;
using Microsoft.Extensions.Configuration;

namespace Rpc.Hosting;

/// <summary>
/// The <see cref="RpcClientOptions"/> values configuration can carry (see <see cref="RpcServerOptionsConfiguration"/>);
/// <c>LoadBalancer</c> by name (PowerOfTwoChoices, RoundRobin, Random, ConsistentHash, PickFirst).
/// </summary>
internal sealed class RpcClientOptionsConfiguration
{
    public int? MaxFrameSize { get; set; }
    public TimeSpan? ConnectTimeout { get; set; }
    public TimeSpan? DefaultTimeout { get; set; }
    public int? StreamWindowSize { get; set; }
    public int? MaxMetadataSize { get; set; }
    public TimeSpan? InitialReconnectDelay { get; set; }
    public TimeSpan? MaxReconnectDelay { get; set; }
    public double? ReconnectBackoffMultiplier { get; set; }
    public double? ReconnectJitter { get; set; }
    public TimeSpan? KeepAliveInterval { get; set; }
    public TimeSpan? KeepAliveTimeout { get; set; }
    public TimeSpan? SlowStartWindow { get; set; }
    public bool? AllowInsecureCallCredentials { get; set; }
    public string? LoadBalancer { get; set; }

    public static void Apply(IConfiguration section, RpcClientOptions options)
    {
        var read = new RpcClientOptionsConfiguration();
        section.Bind(read);
        options.MaxFrameSize = read.MaxFrameSize ?? options.MaxFrameSize;
        options.ConnectTimeout = read.ConnectTimeout ?? options.ConnectTimeout;
        options.DefaultTimeout = read.DefaultTimeout ?? options.DefaultTimeout;
        options.StreamWindowSize = read.StreamWindowSize ?? options.StreamWindowSize;
        options.MaxMetadataSize = read.MaxMetadataSize ?? options.MaxMetadataSize;
        options.InitialReconnectDelay = read.InitialReconnectDelay ?? options.InitialReconnectDelay;
        options.MaxReconnectDelay = read.MaxReconnectDelay ?? options.MaxReconnectDelay;
        options.ReconnectBackoffMultiplier = read.ReconnectBackoffMultiplier ?? options.ReconnectBackoffMultiplier;
        options.ReconnectJitter = read.ReconnectJitter ?? options.ReconnectJitter;
        options.KeepAliveInterval = read.KeepAliveInterval ?? options.KeepAliveInterval;
        options.KeepAliveTimeout = read.KeepAliveTimeout ?? options.KeepAliveTimeout;
        options.SlowStartWindow = read.SlowStartWindow ?? options.SlowStartWindow;
        options.AllowInsecureCallCredentials = read.AllowInsecureCallCredentials ?? options.AllowInsecureCallCredentials;
        if (read.LoadBalancer is { } name)
        {
            options.LoadBalancer = name.ToLowerInvariant() switch
            {
                "poweroftwochoices" => RpcLoadBalancer.PowerOfTwoChoices,
                "roundrobin" => RpcLoadBalancer.RoundRobin,
                "random" => RpcLoadBalancer.Random,
                "consistenthash" => RpcLoadBalancer.ConsistentHash,
                "pickfirst" => RpcLoadBalancer.PickFirst,
                _ => throw new InvalidOperationException(
                    $"LoadBalancer \"{name}\" is not one of PowerOfTwoChoices, RoundRobin, Random, ConsistentHash, PickFirst."),
            };
        }
    }
}
