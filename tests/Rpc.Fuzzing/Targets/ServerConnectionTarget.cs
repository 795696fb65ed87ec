using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using Rpc.Protocol;
using Rpc.Serialization;
using Rpc.Server;

namespace Rpc.Fuzzing.Targets;

/// <summary>
/// A server connection's read path fed arbitrary bytes after the prefaces, over an in-memory pipe: frame parsing,
/// dispatch, request prefixes, argument reading, streams, flow control, pings and cancels, with the
/// <see cref="FuzzService"/> behind it. The connection must close by itself once the input ends (a hang is a
/// finding), and a malformed input may only close it with a GoAway or fail calls with a status: an exception that
/// broke the read loop, an <see cref="RpcStatusCode.Unknown"/> error (our handlers throw nothing, so that can only
/// be the runtime's own exception) or a one-way failure other than a status or unreadable arguments is a finding, and
/// so is output that is not whole frames.
/// </summary>
public sealed class ServerConnectionTarget : IFuzzTarget
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ConsumeLimit = TimeSpan.FromSeconds(1);

    private readonly RpcServerOptions _options;
    private readonly RpcServer _methods;
    private Exception? _oneWayFailure;

    public ServerConnectionTarget()
    {
        _options = new RpcServerOptions
        {
            IncludeExceptionDetails = true,
            MaxFrameSize = 64 * 1024,
            MaxConcurrentCallsPerConnection = 64,
            OnOneWayError = (_, exception) =>
            {
                // Arguments that do not read are the documented one-way failure; anything else is the runtime's own.
                if (exception is not (RpcException or RpcSerializationException or OperationCanceledException))
                {
                    Volatile.Write(ref _oneWayFailure, exception);
                }
            },
        };
        // Never listens: the server is only the method table the connection dispatches to.
        _methods = new RpcServer(_options);
        _methods.AddService<IFuzzService>(new FuzzService());
    }

    public string Name => "server-connection";

    public void Run(ReadOnlySpan<byte> input)
    {
        // A flush to this pipe completes once the server has consumed every byte written: the whole frames are
        // handled (and the read's batch of handlers has run) before the input's end is seen, as on a socket that
        // stays open, so calls get answered rather than all cut by the close.
        var toServer = new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1, useSynchronizationContext: false));
        var fromServer = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var ends = new PipeEnds(toServer.Reader, fromServer.Writer);
        var connection = new RpcServerConnection(ends, ends, null, _options, null, _methods);
        connection.Start();
        int whole = WholeFramesLength(input);
        toServer.Writer.Write(input.Slice(0, whole));
        ValueTask<FlushResult> flush = toServer.Writer.FlushAsync();
        if (!flush.IsCompleted)
        {
            Task<FlushResult> consumed = flush.AsTask();
            if (!consumed.Wait(ConsumeLimit))
            {
                // Reading paused (the server waits for us to take its output, which we never do), or stopped.
                toServer.Writer.CancelPendingFlush();
                consumed.Wait();
            }
        }
        // Then the cut frame at the end, if any, and the end of the input.
        toServer.Writer.Write(input.Slice(whole));
        toServer.Writer.Complete();
        if (!connection.Completion.Wait(HangLimit))
        {
            throw new FuzzInvariantException($"Server connection: still open {HangLimit.TotalSeconds:0} s after its input ended.");
        }
        if (connection.CloseReason?.InnerException is { } broken and not (RpcException or RpcSerializationException or RpcProtocolException))
        {
            throw new FuzzInvariantException("Server connection: an exception broke the read loop: " + broken);
        }
        if (Interlocked.Exchange(ref _oneWayFailure, null) is { } oneWay)
        {
            throw new FuzzInvariantException("Server connection: a one-way call failed with " + oneWay);
        }
        CheckOutput(fromServer.Reader);
    }

    private int WholeFramesLength(ReadOnlySpan<byte> input)
    {
        var buffer = new ReadOnlySequence<byte>(input.ToArray());
        while (RpcFrameParser.TryParse(ref buffer, _options.MaxFrameSize, out _, out _) == RpcFrameParseStatus.Frame)
        {
        }
        return input.Length - (int)buffer.Length;
    }

    private void CheckOutput(PipeReader output)
    {
        if (!output.TryRead(out ReadResult result))
        {
            return;
        }
        ReadOnlySequence<byte> buffer = result.Buffer;
        try
        {
            while (true)
            {
                RpcFrameParseStatus status = RpcFrameParser.TryParse(ref buffer, int.MaxValue, out RpcFrameHeader header, out ReadOnlySequence<byte> payload);
                if (status == RpcFrameParseStatus.NeedHeader && buffer.IsEmpty)
                {
                    return;
                }
                if (status != RpcFrameParseStatus.Frame)
                {
                    throw new FuzzInvariantException($"Server connection: the server sent a cut frame ({status}, {buffer.Length} bytes left).");
                }
                byte[] bytes = payload.ToArray();
                if (header.Type == RpcFrameType.Error)
                {
                    ReadOnlySpan<byte> error = bytes;
                    if ((header.Flags & RpcFrameFlags.HasMetadata) != 0)
                    {
                        RpcMetadataCodec.Read(error, _options.SerializerOptions, int.MaxValue, out int consumed);
                        error = error.Slice(consumed);
                    }
                    (RpcStatusCode code, string message, string? detail) = RpcControlFrames.ReadError(error, _options.SerializerOptions);
                    if (code == RpcStatusCode.Unknown)
                    {
                        throw new FuzzInvariantException($"Server connection: call {header.CallId} failed with an exception of the runtime's own: {message}\n{detail}");
                    }
                }
                else if (header.Type == RpcFrameType.GoAway)
                {
                    RpcControlFrames.ReadGoAway(bytes, _options.SerializerOptions);
                }
            }
        }
        finally
        {
            output.AdvanceTo(result.Buffer.End);
        }
    }

    /// <summary>The server's side of the two pipes; closing it ends both, as a socket's close would.</summary>
    private sealed class PipeEnds : IDuplexPipe, IAsyncDisposable
    {
        public PipeEnds(PipeReader input, PipeWriter output)
        {
            Input = input;
            Output = output;
        }

        public PipeReader Input { get; }

        public PipeWriter Output { get; }

        public ValueTask DisposeAsync()
        {
            Input.Complete();
            Output.Complete();
            return default;
        }
    }
}
