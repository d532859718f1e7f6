using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Halflife.Dicom.Network;

/// <summary>
/// A DICOM SCP (C-ECHO and C-STORE) listening on one TCP endpoint. Each connection is served on its own task; at most
/// <see cref="DicomServerOptions.MaxAssociations"/> associations run at once and the next one is rejected with
/// "local limit exceeded". Disposing stops the listener and aborts open associations.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly DicomServerOptions _options;
    private readonly IDicomStoreHandler _handler;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly Task _acceptLoop;
    private int _activeAssociations;
    private int _openConnections;

    private DicomServer(IPEndPoint endPoint, IDicomStoreHandler handler, DicomServerOptions options)
    {
        options.Validate();
        _options = options;
        _handler = handler;
        _listener = new TcpListener(endPoint);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The bound port (useful when started on port 0).</summary>
    public int Port { get; }

    /// <summary>Associations currently past negotiation or waiting for it.</summary>
    public int ActiveAssociations => Volatile.Read(ref _activeAssociations);

    public static DicomServer Start(IPAddress address, int port, IDicomStoreHandler handler, DicomServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new DicomServer(new IPEndPoint(address, port), handler, options ?? new DicomServerOptions());
    }

    public static DicomServer Start(string host, int port, IDicomStoreHandler handler, DicomServerOptions? options = null)
    {
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : Dns.GetHostAddresses(host)[0];
        return Start(address, port, handler, options);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_shutdown.IsCancellationRequested)
                {
                    return;
                }
                // E.g. out of file descriptors: back off instead of spinning on the failing accept.
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }

            // Connections beyond the limit still get a proper A-ASSOCIATE-RJ, but only so many of them may wait for
            // their RQ at once: past twice the limit a flood is simply closed.
            if (Interlocked.Increment(ref _openConnections) > 2 * _options.MaxAssociations)
            {
                Interlocked.Decrement(ref _openConnections);
                socket.Close(0);
                continue;
            }
            var overLimit = Interlocked.Increment(ref _activeAssociations) > _options.MaxAssociations;
            if (overLimit)
            {
                Interlocked.Decrement(ref _activeAssociations);
            }
            socket.NoDelay = true;
            var task = Task.Run(() => ServeAsync(socket, overLimit));
            _connections.TryAdd(task, 0);
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket, bool overLimit)
    {
        if (!overLimit)
        {
            DicomNetworkTelemetry.ActiveAssociations.Add(1);
        }
        try
        {
            await new ScpAssociation(socket, _options, _handler, overLimit).RunAsync(_shutdown.Token).ConfigureAwait(false);
        }
        finally
        {
            if (!overLimit)
            {
                Interlocked.Decrement(ref _activeAssociations);
                DicomNetworkTelemetry.ActiveAssociations.Add(-1);
            }
            Interlocked.Decrement(ref _openConnections);
        }
    }

    /// <summary>Stops accepting, aborts open associations and waits for their tasks to finish.</summary>
    public async Task StopAsync()
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }
        _shutdown.Cancel();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }
}
