using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Halflife.Reporting.Hl7;

/// <summary>
/// HL7 v2 over MLLP (&lt;VT&gt; message &lt;FS&gt;&lt;CR&gt;): one task per connection, each frame answered with an
/// ACK before the next is read. A peer cannot hold the listener: the number of connections is capped, a silent
/// connection is closed after the idle timeout, a frame must complete within the message timeout, and a frame over
/// the size limit is answered AR and the connection closed (there is no safe place to resume reading).
/// </summary>
public sealed class MllpListener(Hl7Receiver receiver, IOptions<ReportingOptions> options, ILogger<MllpListener> logger) : BackgroundService
{
    private const byte StartBlock = 0x0B;
    private const byte EndBlock = 0x1C;
    private const byte CarriageReturn = 0x0D;

    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Hl7Options Settings => options.Value.Hl7;

    /// <summary>The bound port (useful when configured as 0); completes when listening, faults when disabled.</summary>
    public Task<int> Port => _port.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.Enabled)
        {
            _port.TrySetException(new InvalidOperationException("The HL7 listener is disabled (Reporting:Hl7:Enabled)."));
            return;
        }
        var listener = new TcpListener(IPAddress.Parse(Settings.Host), Settings.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            _port.TrySetException(e);
            logger.LogError(e, "HL7 listener cannot listen on {Host}:{Port}", Settings.Host, Settings.Port);
            throw;
        }
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _port.TrySetResult(port);
        logger.LogInformation("HL7 MLLP listener on {Host}:{Port}", Settings.Host, port);
        using var slots = new SemaphoreSlim(Settings.MaxConnections);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken);
                if (!slots.Wait(0))
                {
                    logger.LogWarning("HL7 connection from {Peer} refused: {Max} connections open", client.Client.RemoteEndPoint, Settings.MaxConnections);
                    client.Dispose();
                    continue;
                }
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await ServeAsync(client, stoppingToken);
                    }
                    finally
                    {
                        client.Dispose();
                        slots.Release();
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        var peer = client.Client.RemoteEndPoint?.ToString();
        client.NoDelay = true;
        var stream = client.GetStream();
        var reader = new MllpFrameReader(stream, Settings.MaxMessageBytes, Settings.IdleTimeout, Settings.MessageTimeout);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var frame = await reader.ReadAsync(stoppingToken);
                byte[] answer;
                var close = false;
                switch (frame.Kind)
                {
                    case MllpFrameKind.Closed:
                        return;
                    case MllpFrameKind.Message:
                        answer = await receiver.HandleAsync(frame.Payload, stoppingToken);
                        break;
                    default:
                        answer = receiver.Reject(frame.Payload.Span, frame.Problem!);
                        close = frame.Kind is MllpFrameKind.TooLarge or MllpFrameKind.TimedOut;
                        break;
                }
                await WriteFrameAsync(stream, answer, stoppingToken);
                if (close) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            logger.LogInformation("HL7 connection from {Peer} ended: {Reason}", peer, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WriteFrameAsync(NetworkStream stream, byte[] message, CancellationToken ct)
    {
        var frame = new byte[message.Length + 3];
        frame[0] = StartBlock;
        message.CopyTo(frame, 1);
        frame[^2] = EndBlock;
        frame[^1] = CarriageReturn;
        // A peer that does not read its ACKs must not block us either.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Settings.MessageTimeout);
        await stream.WriteAsync(frame, deadline.Token);
    }
}
