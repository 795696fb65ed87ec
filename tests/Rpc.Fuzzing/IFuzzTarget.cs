using System;

namespace Rpc.Fuzzing;

/// <summary>
/// One fuzz target: runs the code under test on arbitrary bytes. It catches only the exceptions that code documents
/// for malformed input; anything else escapes and is a finding (a crash under libFuzzer, a failure in the replay
/// tests). A broken invariant (a parse that reports more bytes than it had, a value that does not read back the
/// same) is thrown as <see cref="FuzzInvariantException"/>, which no target catches.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name the fuzz script, the corpus folder and the replay tests use.</summary>
    string Name { get; }

    /// <summary>Runs one input.</summary>
    void Run(ReadOnlySpan<byte> input);
}

/// <summary>A fuzz target saw the code under test break a promise it makes for every input.</summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException(string message)
        : base(message)
    {
    }
}
