using System.Buffers.Binary;

namespace Halflife.Dicom.Derivation;

/// <summary>
/// Builds a derived image object: a copy of the source's attributes (patient, study, equipment, acquisition) in a new
/// series of the same study, with new pixel data, marked DERIVED\SECONDARY and pointing back at its source through
/// Source Image Sequence and Referenced Image Sequence (PS3.3 C.7.6.1.1.2, C.7.6.1.1.3, C.7.6.1.1.4). Written in
/// Explicit VR Little Endian whatever the source's transfer syntax was, because the pixels are new and native.
/// </summary>
public static class DerivedInstanceBuilder
{
    /// <summary>Derivation Description is ST: at most 1024 characters.</summary>
    public const int MaxDescriptionLength = 1024;

    public static DicomFile Build(DicomDataset source, DerivationInfo derivation, DerivedFrames pixels)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(derivation);
        ArgumentNullException.ThrowIfNull(pixels);
        Validate(derivation, pixels);

        var sourceSop = source.GetString(DicomTag.SOPInstanceUID);
        var sourceClass = source.GetString(DicomTag.SOPClassUID);
        var sourceSeries = source.TryGetString(DicomTag.SeriesInstanceUID, out var series) ? series : sourceSop;

        var derived = source.Clone();
        // Group lengths copied from the source (poumonsReins.dcm has them) stop matching once groups change, and a
        // PACS that re-encodes (DCMTK, Orthanc) would then store other bytes than we keep. They are optional
        // (PS3.5 7.2), so a derived object carries none.
        derived.Remove(derived.Select(i => i.Tag).Where(t => t.Element == 0x0000 && t.Group != 0x0002).ToArray());
        derived.InternalTransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        derived.AddOrUpdate(DicomTag.SOPInstanceUID, DerivedUid.For([sourceSop, .. derivation.Identity]));
        derived.AddOrUpdate(DicomTag.SeriesInstanceUID, DerivedUid.For([sourceSeries, .. derivation.Identity]));

        // Value 3 and 4 (e.g. STATIC\EMISSION for NM) still describe the acquisition; values 1 and 2 say what this is.
        var imageType = source.TryGetValues<string>(DicomTag.ImageType, out var types) ? types : [];
        derived.AddOrUpdate<string>(DicomTag.ImageType, ["DERIVED", "SECONDARY", .. imageType.Skip(2)]);
        derived.AddOrUpdate(DicomTag.DerivationDescription, derivation.Description);
        var description = source.TryGetString(DicomTag.SeriesDescription, out var d) ? d.Trim() : "";
        derived.AddOrUpdate(DicomTag.SeriesDescription, (description + " " + derivation.SeriesDescriptionSuffix).Trim());

        derived.AddOrUpdate(new DicomSequence(DicomTag.SourceImageSequence, Reference(sourceClass, sourceSop)));
        derived.AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageSequence, Reference(sourceClass, sourceSop)));

        WritePixelModule(derived, pixels);
        return new DicomFile(derived);
    }

    private static void Validate(DerivationInfo derivation, DerivedFrames pixels)
    {
        if (derivation.Identity.Count == 0 || derivation.Identity.Any(string.IsNullOrEmpty))
            throw new ArgumentException("A derivation needs a non-empty identity (method, version, parameters).", nameof(derivation));
        if (string.IsNullOrWhiteSpace(derivation.Description) || derivation.Description.Length > MaxDescriptionLength)
            throw new ArgumentException($"Derivation Description must have 1 to {MaxDescriptionLength} characters.", nameof(derivation));
        if (pixels.Width is <= 0 or > ushort.MaxValue || pixels.Height is <= 0 or > ushort.MaxValue)
            throw new ArgumentException($"Image of {pixels.Width}x{pixels.Height} cannot be stored (1 to 65535 rows and columns).", nameof(pixels));
        if (pixels.Frames.Count == 0)
            throw new ArgumentException("A derived image needs at least one frame.", nameof(pixels));
        var plane = pixels.Width * pixels.Height;
        for (var f = 0; f < pixels.Frames.Count; f++)
            if (pixels.Frames[f].Length != plane)
                throw new ArgumentException($"Frame {f} holds {pixels.Frames[f].Length} pixels, not {pixels.Width}x{pixels.Height}.", nameof(pixels));
        if ((long)plane * pixels.Frames.Count * 2 > int.MaxValue - 8)
            throw new ArgumentException("The derived pixel data would exceed 2 GB.", nameof(pixels));
        if (pixels.RescaleSlope is { } slope && (!double.IsFinite(slope) || slope <= 0 || !double.IsFinite(pixels.RescaleIntercept)))
            throw new ArgumentException($"Rescale slope {slope} / intercept {pixels.RescaleIntercept} is not usable.", nameof(pixels));
    }

    private static void WritePixelModule(DicomDataset derived, DerivedFrames pixels)
    {
        derived.AddOrUpdate<ushort>(DicomTag.Rows, (ushort)pixels.Height);
        derived.AddOrUpdate<ushort>(DicomTag.Columns, (ushort)pixels.Width);
        derived.AddOrUpdate<ushort>(DicomTag.SamplesPerPixel, 1);
        derived.AddOrUpdate<ushort>(DicomTag.BitsAllocated, 16);
        derived.AddOrUpdate<ushort>(DicomTag.BitsStored, 16);
        derived.AddOrUpdate<ushort>(DicomTag.HighBit, 15);
        derived.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, 0);
        // Number of Frames belongs to multi-frame IODs (NM always has it); a single-frame source stays single-frame.
        if (pixels.Frames.Count > 1 || derived.Contains(DicomTag.NumberOfFrames))
            derived.AddOrUpdate(DicomTag.NumberOfFrames, pixels.Frames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!derived.TryGetString(DicomTag.PhotometricInterpretation, out var photometric) || photometric is not ("MONOCHROME1" or "MONOCHROME2"))
            derived.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        // The old extremes and padding describe the old pixels (and their VR the old signedness); planar
        // configuration and palettes belong to colour images, which a single-sample image is not.
        derived.Remove(DicomTag.SmallestImagePixelValue, DicomTag.LargestImagePixelValue, DicomTag.PixelPaddingValue,
            DicomTag.PixelPaddingRangeLimit, DicomTag.PlanarConfiguration);
        if (pixels.RescaleSlope is { } slope)
        {
            derived.AddOrUpdate<double>(DicomTag.RescaleSlope, slope);
            derived.AddOrUpdate<double>(DicomTag.RescaleIntercept, pixels.RescaleIntercept);
        }
        else
        {
            derived.Remove(DicomTag.RescaleSlope, DicomTag.RescaleIntercept);
        }
        derived.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, PixelBytes(pixels)));
    }

    private static DicomDataset Reference(string sopClass, string sopInstance) => new DicomDataset()
        .AddOrUpdate(DicomTag.ReferencedSOPClassUID, sopClass)
        .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, sopInstance);

    private static byte[] PixelBytes(DerivedFrames pixels)
    {
        var plane = pixels.Width * pixels.Height;
        var bytes = new byte[plane * pixels.Frames.Count * 2];
        for (var f = 0; f < pixels.Frames.Count; f++)
        {
            var frame = pixels.Frames[f];
            var target = bytes.AsSpan(f * plane * 2, plane * 2);
            for (var i = 0; i < plane; i++)
                BinaryPrimitives.WriteUInt16LittleEndian(target[(i * 2)..], frame[i]);
        }
        return bytes;
    }
}
