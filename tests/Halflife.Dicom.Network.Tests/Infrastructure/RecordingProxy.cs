using System.Net;
using System.Net.Sockets;

namespace Halflife.Dicom.Network.Tests.Infrastructure;

/// <summary>
/// A one-connection TCP relay that records what the client sends: used to capture a real storescu association so the
/// mutation test can replay corrupted copies of it.
/// </summary>
internal sealed class RecordingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly MemoryStream _clientBytes = new();
    private readonly Task _relay;

    public RecordingProxy(int targetPort)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _relay = RelayAsync(targetPort);
    }

    public int Port { get; }

    /// <summary>Waits for the relayed connection to end and returns the client-to-server byte stream.</summary>
    public async Task<byte[]> ClientBytesAsync(TimeSpan timeout)
    {
        await _relay.WaitAsync(timeout);
        return _clientBytes.ToArray();
    }

    private async Task RelayAsync(int targetPort)
    {
        using var client = await _listener.AcceptTcpClientAsync();
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, targetPort);
        var up = CopyAsync(client.GetStream(), server.GetStream(), _clientBytes, server.Client);
        var down = CopyAsync(server.GetStream(), client.GetStream(), null, client.Client);
        await Task.WhenAll(up, down);
    }

    private static async Task CopyAsync(NetworkStream from, NetworkStream to, MemoryStream? record, Socket toSocket)
    {
        var buffer = new byte[65536];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                record?.Write(buffer, 0, read);
                await to.WriteAsync(buffer.AsMemory(0, read));
            }
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // One side went away; the other copy ends on its own.
        }
    }

    public void Dispose() => _listener.Stop();
}
