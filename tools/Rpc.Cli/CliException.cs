using System;

namespace Rpc.Cli;

/// <summary>A mistake in what the user asked (bad JSON, unknown method, unreachable address): printed without a stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }
}
