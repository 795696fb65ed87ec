using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Rpc.LoadTest.Contenders.Raw;

/// <summary>
/// The raw client: one TCP connection, a read loop on System.IO.Pipelines that matches replies to callers by
/// request id, and <see cref="RawSender"/> for writes. Each caller owns a <see cref="RawCallSlot"/> whose index is
/// its request id, so a call allocates nothing and finding its caller is an array index.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private const uint StreamRequestId = uint.MaxValue;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly RawSender _sender;
    private readonly List<RawCallSlot> _slots = new();
    private volatile RawCallSlot[] _slotArray = [];
    private readonly Task _readLoop;
    private TaskCompletionSource<long>? _pendingStream;
    private long _streamReceived;
    private Exception? _failure;

    private RawClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 8 * 1024));
        _sender = new RawSender(socket);
        _readLoop = ReadLoopAsync();
    }

    public static async Task<RawClient> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new RawClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public RawSender Sender => _sender;

    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>A slot for one caller; its index is the request id of its calls.</summary>
    public RawCallSlot CreateSlot()
    {
        lock (_slots)
        {
            var slot = new RawCallSlot(this, (uint)_slots.Count);
            _slots.Add(slot);
            _slotArray = _slots.ToArray();
            return slot;
        }
    }

    /// <summary>Asks for <paramref name="count"/> items and counts them as the read loop receives them.</summary>
    public async ValueTask<long> StreamAsync(int count, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _streamReceived = 0;
        Volatile.Write(ref _pendingStream, done);
        if (_sender.AppendStreamRequest(StreamRequestId, count))
        {
            await _sender.DrainAsync();
        }
        return await done.Task.WaitAsync(cancellationToken);
    }

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                bool sender = _sender.TryBeginBatch();
                try
                {
                    RawCallSlot[] slots = _slotArray;
                    while (RawFrame.TryRead(ref buffer, out uint requestId, out RawFrameKind kind, out ReadOnlySequence<byte> body))
                    {
                        switch (kind)
                        {
                            case RawFrameKind.Reply:
                                // The caller's continuation runs here, inline: it appends its next request to the batch.
                                slots[requestId].Complete((int)body.Length);
                                break;
                            case RawFrameKind.StreamItem:
                                OnStreamItem(body);
                                break;
                            case RawFrameKind.StreamEnd:
                                _pendingStream!.TrySetResult(_streamReceived);
                                break;
                            default:
                                throw new InvalidDataException($"The raw client got a {kind} frame.");
                        }
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    if (sender)
                    {
                        await _sender.DrainAsync().ConfigureAwait(false);
                    }
                }
                if (result.IsCompleted)
                {
                    throw new IOException("The raw server closed the connection.");
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void OnStreamItem(in ReadOnlySequence<byte> body)
    {
        Span<byte> bytes = stackalloc byte[RawFrame.StreamItemBodySize];
        body.CopyTo(bytes);
        int sequence = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (sequence != _streamReceived)
        {
            throw new InvalidDataException($"Stream item {sequence} arrived where {_streamReceived} was expected.");
        }
        _streamReceived++;
    }

    private void Fail(Exception ex)
    {
        Volatile.Write(ref _failure, ex);
        _pendingStream?.TrySetException(ex);
        foreach (RawCallSlot slot in _slotArray)
        {
            slot.Fail(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        await _readLoop.ConfigureAwait(false);
        await _input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One caller's reusable awaitable: at most one call in flight, completed inline by the read loop.</summary>
internal sealed class RawCallSlot : IValueTaskSource<int>
{
    private readonly RawClient _client;
    private readonly uint _requestId;
    private ManualResetValueTaskSourceCore<int> _core;
    private int _inFlight;

    public RawCallSlot(RawClient client, uint requestId)
    {
        _client = client;
        _requestId = requestId;
    }

    public ValueTask<int> CallAsync(int id)
    {
        if (_client.Failure is { } failure)
        {
            return ValueTask.FromException<int>(failure);
        }
        _core.Reset();
        Volatile.Write(ref _inFlight, 1);
        var task = new ValueTask<int>(this, _core.Version);
        if (_client.Sender.AppendRequest(_requestId, id))
        {
            _ = _client.Sender.DrainAsync();
        }
        return task;
    }

    public void Complete(int replyLength)
    {
        if (Interlocked.Exchange(ref _inFlight, 0) == 1)
        {
            _core.SetResult(replyLength);
        }
    }

    public void Fail(Exception ex)
    {
        if (Interlocked.Exchange(ref _inFlight, 0) == 1)
        {
            _core.SetException(ex);
        }
    }

    public int GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
