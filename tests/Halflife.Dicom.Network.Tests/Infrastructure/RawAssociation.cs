using System.Net;
using System.Net.Sockets;

namespace Halflife.Dicom.Network.Tests.Infrastructure;

/// <summary>
/// A hand-driven TCP peer for protocol tests: writes arbitrary bytes and reads whatever the SCP answers until it closes.
/// </summary>
internal sealed class RawAssociation : IAsyncDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private NetworkStream? _stream;

    public static async Task<RawAssociation> ConnectAsync(int port)
    {
        var raw = new RawAssociation();
        await raw._client.ConnectAsync(IPAddress.Loopback, port);
        raw._stream = raw._client.GetStream();
        return raw;
    }

    public Task SendAsync(byte[] bytes) => _stream!.WriteAsync(bytes).AsTask();

    /// <summary>Half-closes our side so the SCP sees end of stream after the bytes sent so far.</summary>
    public void FinishSending() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>Reads until the SCP closes the connection (or the timeout fails the test).</summary>
    public async Task<byte[]> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var read = await _stream!.ReadAsync(buffer, deadline.Token);
                if (read == 0)
                {
                    return received.ToArray();
                }
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return received.ToArray(); // reset by the SCP after its abort: also "closed"
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"SCP kept the connection open for more than {timeout}; got {received.Length} bytes.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
        _client.Dispose();
    }

    /// <summary>The PDU types in a received byte stream, in order (stops at the first malformed header).</summary>
    public static List<PduType> PduTypes(byte[] stream)
    {
        var types = new List<PduType>();
        var at = 0;
        while (at + 6 <= stream.Length)
        {
            types.Add((PduType)stream[at]);
            at += 6 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(at + 2));
        }
        return types;
    }
}
