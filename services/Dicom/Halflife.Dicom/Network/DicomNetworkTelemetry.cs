using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Halflife.Dicom.Network;

/// <summary>Activity source and meters of the DICOM network layer (names listed in docs/dicom-network.md).</summary>
public static class DicomNetworkTelemetry
{
    public const string Name = "Halflife.Dicom.Network";
    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> StoresReceived = Meter.CreateCounter<long>("dicom.scp.c_store.received");
    internal static readonly Counter<long> AssociationsRejected = Meter.CreateCounter<long>("dicom.scp.association.rejected");
    internal static readonly UpDownCounter<long> ActiveAssociations = Meter.CreateUpDownCounter<long>("dicom.scp.association.active");
}
