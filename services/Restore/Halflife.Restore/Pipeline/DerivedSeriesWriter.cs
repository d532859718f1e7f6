using Halflife.Dicom;
using Halflife.Dicom.Derivation;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// The restored object: the shared derived-instance builder (new series and SOP UIDs hashed from the source and the
/// model's name and version, DERIVED\SECONDARY, Source/Referenced Image Sequence) plus the model that made it, in
/// Derivation Description and as Contributing Equipment (manufacturer model name = model, software version =
/// model version), so a PACS user can see which model version produced the pixels.
/// </summary>
public static class DerivedSeriesWriter
{
    public static DicomFile Write(DicomDataset original, DerivedFrames pixels, string modelName, string modelVersion)
    {
        var derivation = new DerivationInfo($"Restored with {modelName} {modelVersion} (Halflife)", "[restored]", [modelName, modelVersion]);
        var file = DerivedInstanceBuilder.Build(original, derivation, pixels);
        var equipment = new DicomDataset()
            .AddOrUpdate(new DicomSequence(DicomTag.PurposeOfReferenceCodeSequence, new DicomDataset()
                .AddOrUpdate(DicomTag.CodeValue, "109102")
                .AddOrUpdate(DicomTag.CodingSchemeDesignator, "DCM")
                .AddOrUpdate(DicomTag.CodeMeaning, "Processing Equipment")))
            .AddOrUpdate(DicomTag.Manufacturer, "Halflife")
            .AddOrUpdate(DicomTag.ManufacturerModelName, modelName)
            .AddOrUpdate(DicomTag.SoftwareVersions, modelVersion)
            .AddOrUpdate(DicomTag.ContributionDescription, "Deep-learning restoration of an early or low-count bone scan");
        // Earlier contributors (the source's own processing) stay listed; this step is appended.
        IEnumerable<DicomDataset> contributors = file.Dataset.TryGetSequence(DicomTag.ContributingEquipmentSequence, out var existing) ? existing.Items.ToList() : [];
        file.Dataset.AddOrUpdate(new DicomSequence(DicomTag.ContributingEquipmentSequence, contributors.Append(equipment)));
        return file;
    }
}
