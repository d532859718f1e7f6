using System.Net;
using Halflife.Dicom.Network;
using Microsoft.Extensions.Options;

namespace Halflife.Ingest.Scp;

/// <summary>Runs the DICOM SCP for as long as the host runs.</summary>
public sealed class DicomScpService(IngestStoreHandler handler, IOptions<DicomScpOptions> options, ILogger<DicomScpService> logger) : IHostedService
{
    private DicomServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled) return Task.CompletedTask;
        _server = DicomServer.Start(IPAddress.Parse(o.Host), o.Port, handler, new DicomServerOptions
        {
            AeTitle = o.AeTitle,
            AllowedCallingAeTitles = o.AllowedCallingAeTitles.Length > 0 ? o.AllowedCallingAeTitles : null,
            MaxAssociations = o.MaxAssociations,
            ArtimTimeout = o.ArtimTimeout,
            IdleTimeout = o.IdleTimeout,
        });
        logger.LogInformation("DICOM SCP {AeTitle} listening on {Host}:{Port}", o.AeTitle, o.Host, _server.Port);
        return Task.CompletedTask;
    }

    /// <summary>The port actually bound (differs from the configured one when that is 0).</summary>
    public int? Port => _server?.Port;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
