using System.Buffers.Binary;
using Halflife.Dicom;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Builds the derived object for a restored image: a copy of the original's attributes in a new series of the same
/// study, marked DERIVED and pointing back at its source (PS3.3 C.7.6.1.1.2, C.7.6.1.1.3). The UIDs are hashes of the
/// source and the model, so a redelivered message rebuilds the same object.
/// </summary>
public static class DerivedSeriesWriter
{
    public static DicomFile Write(DicomDataset original, RestoredImage image, ModelCard model)
    {
        var sourceSop = original.GetString(DicomTag.SOPInstanceUID);
        var sourceClass = original.GetString(DicomTag.SOPClassUID);
        var sourceSeries = original.TryGetString(DicomTag.SeriesInstanceUID, out var series) ? series : sourceSop;

        var derived = original.Clone();
        derived.InternalTransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        derived.AddOrUpdate(DicomTag.SOPInstanceUID, DerivedUid.For(sourceSop, model.Name, model.Version));
        derived.AddOrUpdate(DicomTag.SeriesInstanceUID, DerivedUid.For(sourceSeries, model.Name, model.Version));

        var imageType = original.TryGetValues<string>(DicomTag.ImageType, out var types) ? types : [];
        derived.AddOrUpdate<string>(DicomTag.ImageType, ["DERIVED", "SECONDARY", .. imageType.Skip(2)]);
        derived.AddOrUpdate(DicomTag.DerivationDescription, $"Restored with {model.Name} {model.Version} (Halflife)");
        var description = original.TryGetString(DicomTag.SeriesDescription, out var d) ? d.Trim() : "";
        derived.AddOrUpdate(DicomTag.SeriesDescription, (description + " [restored]").Trim());

        derived.AddOrUpdate(new DicomSequence(DicomTag.SourceImageSequence, Reference(sourceClass, sourceSop)));
        derived.AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageSequence, Reference(sourceClass, sourceSop)));

        derived.AddOrUpdate<ushort>(DicomTag.BitsAllocated, 16);
        derived.AddOrUpdate<ushort>(DicomTag.BitsStored, 16);
        derived.AddOrUpdate<ushort>(DicomTag.HighBit, 15);
        derived.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, 0);
        // The old extremes describe the old pixels (and their VR the old signedness).
        derived.Remove(DicomTag.SmallestImagePixelValue, DicomTag.LargestImagePixelValue);
        if (image.RescaleApplied) derived.Remove(DicomTag.RescaleSlope, DicomTag.RescaleIntercept);
        derived.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, PixelBytes(image)));

        return new DicomFile(derived);
    }

    private static DicomDataset Reference(string sopClass, string sopInstance) => new DicomDataset()
        .AddOrUpdate(DicomTag.ReferencedSOPClassUID, sopClass)
        .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, sopInstance);

    private static byte[] PixelBytes(RestoredImage image)
    {
        var plane = image.Width * image.Height;
        var bytes = new byte[checked(plane * image.Frames.Count * 2)];
        for (var f = 0; f < image.Frames.Count; f++)
            for (var i = 0; i < plane; i++)
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((f * plane + i) * 2), image.Frames[f][i]);
        return bytes;
    }
}
