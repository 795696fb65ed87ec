using System;
using System.Net;

namespace Rpc.Diagnostics;

/// <summary>
/// The runtime's calls into an <see cref="RpcLogger"/>: each is a no-op without a logger, and a logger that throws
/// never breaks the connection or call that reported (there is nowhere left to report its failure to).
/// </summary>
internal static class RpcLog
{
    public static void ConnectionOpened(RpcLogger? logger, RpcConnectionSide side, EndPoint? remote)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.ConnectionOpened(side, remote);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void ConnectionClosed(RpcLogger? logger, RpcConnectionSide side, EndPoint? remote, RpcException? reason)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.ConnectionClosed(side, remote, reason);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void GoAwaySent(RpcLogger? logger, RpcConnectionSide side, EndPoint? remote, RpcStatusCode status, string message)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.GoAwaySent(side, remote, status, message);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void GoAwayReceived(RpcLogger? logger, RpcConnectionSide side, EndPoint? remote, string message)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.GoAwayReceived(side, remote, message);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void KeepAliveTimeout(RpcLogger? logger, RpcConnectionSide side, EndPoint? remote)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.KeepAliveTimeout(side, remote);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void ConnectionLimitReached(RpcLogger? logger, EndPoint? remote, string limit)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.ConnectionLimitReached(remote, limit);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void HandlerFailed(RpcLogger? logger, RpcMethodDescriptor method, Exception exception)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.HandlerFailed(method, exception);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void OneWayFailed(RpcLogger? logger, RpcMethodDescriptor method, Exception exception)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.OneWayFailed(method, exception);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void AcceptFailed(RpcLogger? logger, EndPoint listener, Exception exception)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.AcceptFailed(listener, exception);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void RegistrationFailed(RpcLogger? logger, string? serviceName, Exception exception)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.RegistrationFailed(serviceName, exception);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void Reconnecting(RpcLogger? logger, EndPoint remote, int attempt)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.Reconnecting(remote, attempt);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void DiscoveryFailed(RpcLogger? logger, string serviceName, Exception exception)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.DiscoveryFailed(serviceName, exception);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }

    public static void ReconnectFailed(RpcLogger? logger, EndPoint remote, int attempt, Exception exception)
    {
        if (logger is null)
        {
            return;
        }
        try
        {
            logger.ReconnectFailed(remote, attempt, exception);
        }
        catch (Exception)
        {
            // A logger must not throw; if it does, there is nowhere left to report to.
        }
    }
}
