using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Halflife.Dicom;
using Halflife.Reporting.Data;
using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.StudyReports;

/// <summary>An image the SR refers to: an original or a restored instance of the same study.</summary>
public sealed record ReferencedImage(string SeriesInstanceUid, string SopClassUid, string SopInstanceUid, string Label);

/// <summary>
/// Writes a report as a DICOM Basic Text SR (PS3.3 A.35.1) in the study it belongs to: the original text and one TEXT
/// item per parsed finding under Findings, the impression category under Impressions, the restoration model and
/// quality numbers as a Comment, and IMAGE items for the originals and restored images, which are also listed in the
/// Current Requested Procedure Evidence Sequence. UIDs are derived from the report id and version, so writing the
/// same version twice gives the same object.
/// </summary>
public static class StructuredReportWriter
{
    public const string BasicTextSr = "1.2.840.10008.5.1.4.1.1.88.11";

    public static DicomFile Build(IndexedStudy study, Report report, ReportVersion version, ParsedReport parsed,
        IReadOnlyList<ReferencedImage> images, string? comment, DateTimeOffset now)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTag.SOPClassUID, BasicTextSr);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, Uid($"sr-instance:{report.Id}:{version.Version}"));
        // Patient and General Study: copied from the study so that PACS files the SR with it.
        ds.AddOrUpdate(DicomTag.PatientName, study.PatientName ?? "");
        ds.AddOrUpdate(DicomTag.PatientID, study.PatientId ?? "");
        ds.AddOrUpdate(DicomTag.PatientBirthDate, study.PatientBirthDate ?? "");
        ds.AddOrUpdate(DicomTag.PatientSex, study.PatientSex ?? "");
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, study.StudyInstanceUid);
        ds.AddOrUpdate(DicomTag.StudyDate, study.StudyDate ?? "");
        ds.AddOrUpdate(DicomTag.StudyTime, study.StudyTime ?? "");
        ds.AddOrUpdate(DicomTag.ReferringPhysicianName, "");
        ds.AddOrUpdate(DicomTag.StudyID, "");
        ds.AddOrUpdate(DicomTag.AccessionNumber, study.AccessionNumber ?? "");
        if (study.StudyDescription is not null) ds.AddOrUpdate(DicomTag.StudyDescription, study.StudyDescription);
        // SR Document Series: one series per study for our reports.
        ds.AddOrUpdate(DicomTag.Modality, "SR");
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, Uid($"sr-series:{study.StudyInstanceUid}"));
        ds.AddOrUpdate(DicomTag.SeriesNumber, "990");
        ds.AddOrUpdate(DicomTag.SeriesDescription, "Halflife bone scan report");
        ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedPerformedProcedureStepSequence));
        ds.AddOrUpdate(DicomTag.Manufacturer, "Halflife");
        // SR Document General.
        ds.AddOrUpdate(DicomTag.InstanceNumber, version.Version.ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTag.CompletionFlag, version.ResultStatus is "F" or "C" ? "COMPLETE" : "PARTIAL");
        ds.AddOrUpdate(DicomTag.VerificationFlag, "UNVERIFIED");
        ds.AddOrUpdate(DicomTag.ContentDate, now.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTag.ContentTime, now.ToString("HHmmss", CultureInfo.InvariantCulture));
        ds.AddOrUpdate(new DicomSequence(DicomTag.PerformedProcedureCodeSequence));
        if (images.Count > 0) ds.AddOrUpdate(Evidence(study.StudyInstanceUid, images));
        // SR Document Content: the root container.
        ds.AddOrUpdate(DicomTag.ValueType, "CONTAINER");
        ds.AddOrUpdate(Code(DicomTag.ConceptNameCodeSequence, "18748-4", "LN", "Diagnostic Imaging Report"));
        ds.AddOrUpdate(DicomTag.ContinuityOfContent, "SEPARATE");

        var findings = new List<DicomDataset> { Text("121071", "Finding", version.Text) };
        findings.AddRange(parsed.Findings.Select(f => Text("121071", "Finding", Describe(f))));
        var content = new List<DicomDataset>
        {
            Container("121070", "Findings", findings),
            Container("121072", "Impressions", [Text("121073", "Impression",
                $"Impression category: {parsed.Impression.Category}" +
                (version.MetastasisSites.Length > 0 ? $"; metastasis: {version.MetastasisSites}" : ""))]),
        };
        if (comment is not null) content.Add(Text("121106", "Comment", comment));
        if (images.Count > 0)
            content.Add(Container("111028", "Image Library", images.Select(Image).ToList()));
        ds.AddOrUpdate(new DicomSequence(DicomTag.ContentSequence, content));
        return new DicomFile(ds);
    }

    public static string Describe(Finding f)
    {
        var where = new List<string> { f.Site.ToString() };
        if (f.Laterality != Laterality.None) where.Add(f.Laterality.ToString());
        if (f.Levels.Count > 0) where.Add(string.Join(",", f.Levels));
        if (f.RibNumbers.Count > 0) where.Add("rib " + string.Join(",", f.RibNumbers));
        return $"{string.Join(" ", where)}: {f.Observation}, {f.Interpretation}, {f.Assertion} (\"{f.Span.Text}\")";
    }

    private static DicomSequence Evidence(string studyUid, IReadOnlyList<ReferencedImage> images)
    {
        var study = new DicomDataset();
        study.AddOrUpdate(DicomTag.StudyInstanceUID, studyUid);
        var series = images.GroupBy(i => i.SeriesInstanceUid).Select(g =>
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTag.SeriesInstanceUID, g.Key);
            item.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, g.Select(SopReference).ToArray()));
            return item;
        }).ToArray();
        study.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSeriesSequence, series));
        return new DicomSequence(DicomTag.CurrentRequestedProcedureEvidenceSequence, study);
    }

    private static DicomDataset SopReference(ReferencedImage image)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, image.SopClassUid);
        item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, image.SopInstanceUid);
        return item;
    }

    private static DicomDataset Image(ReferencedImage image)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.RelationshipType, "CONTAINS");
        item.AddOrUpdate(DicomTag.ValueType, "IMAGE");
        item.AddOrUpdate(Code(DicomTag.ConceptNameCodeSequence, "121080", "DCM", "Best illustration of finding"));
        item.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, SopReference(image)));
        return item;
    }

    private static DicomDataset Container(string code, string meaning, IReadOnlyList<DicomDataset> children)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.RelationshipType, "CONTAINS");
        item.AddOrUpdate(DicomTag.ValueType, "CONTAINER");
        item.AddOrUpdate(Code(DicomTag.ConceptNameCodeSequence, code, "DCM", meaning));
        item.AddOrUpdate(DicomTag.ContinuityOfContent, "SEPARATE");
        item.AddOrUpdate(new DicomSequence(DicomTag.ContentSequence, children.ToArray()));
        return item;
    }

    private static DicomDataset Text(string code, string meaning, string text)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.RelationshipType, "CONTAINS");
        item.AddOrUpdate(DicomTag.ValueType, "TEXT");
        item.AddOrUpdate(Code(DicomTag.ConceptNameCodeSequence, code, "DCM", meaning));
        item.AddOrUpdate(DicomTag.TextValue, text);
        return item;
    }

    private static DicomSequence Code(DicomTag tag, string value, string scheme, string meaning)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.CodeValue, value);
        item.AddOrUpdate(DicomTag.CodingSchemeDesignator, scheme);
        item.AddOrUpdate(DicomTag.CodeMeaning, meaning);
        return new DicomSequence(tag, item);
    }

    /// <summary>A UID under 2.25 derived from a name, so the same report version always gets the same UID.</summary>
    public static string Uid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("halflife-reporting:" + name));
        return DicomUID.FromGuid(new Guid(hash.AsSpan(0, 16)));
    }
}
