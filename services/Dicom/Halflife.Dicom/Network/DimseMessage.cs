namespace Halflife.Dicom.Network;

/// <summary>A complete received DIMSE message: its command and, when one followed, its data set.</summary>
internal sealed class DimseMessage(byte presentationContextId, DimseCommand command, DataSetBuffer? dataSet) : IDisposable
{
    public byte PresentationContextId { get; } = presentationContextId;
    public DimseCommand Command { get; } = command;
    public DataSetBuffer? DataSet { get; } = dataSet;

    public void Dispose() => DataSet?.Dispose();
}
