using System.Collections.Concurrent;

namespace Halflife.Dicom.Network.Tests.Infrastructure;

/// <summary>A store handler that keeps every received data set in memory and answers with a configurable status.</summary>
internal sealed class RecordingStoreHandler : IDicomStoreHandler
{
    public sealed record Received(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, byte[] DataSet, string CallingAe);

    public ConcurrentQueue<Received> Stores { get; } = new();
    public Func<DicomReceivedStore, DicomStatus> Answer { get; set; } = _ => DicomStatus.Success;
    public int Echoes => _echoes;
    private int _echoes;

    /// <summary>Optional delay inside the handler, to hold associations open in concurrency tests.</summary>
    public TimeSpan Delay { get; set; }

    public async ValueTask<DicomStatus> OnCStoreAsync(DicomReceivedStore request, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }
        var bytes = await request.ReadAllBytesAsync(cancellationToken);
        Stores.Enqueue(new Received(request.SopClassUid, request.SopInstanceUid, request.TransferSyntaxUid, bytes,
            request.Association.CallingAeTitle));
        return Answer(request);
    }

    public ValueTask<DicomStatus> OnCEchoAsync(DicomAssociationInfo association, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _echoes);
        return ValueTask.FromResult(DicomStatus.Success);
    }
}
