using System.Globalization;
using Halflife.Dicom;
using Halflife.Reporting.Index;

namespace Halflife.Reporting.Export;

/// <summary>The patient an instance belongs to, and how its dates move.</summary>
public sealed record DeidentifiedPatient(string PatientId, string? PatientName, string Pseudonym, Func<DateOnly, DateOnly> MapDate);

/// <summary>
/// Rewrites a data set after the PS3.15 Annex E Basic Application Level Confidentiality Profile for the attributes
/// listed here, with the Retain Longitudinal Temporal Information with Modified Dates and Retain Patient
/// Characteristics options: names and IDs replaced by the pseudonym (D), identifying attributes emptied (Z) or
/// removed (X), dates moved by the patient's shift, UIDs replaced by keyed UIDs (U) everywhere including sequences,
/// private attributes removed. As a last guard, any remaining text value that contains the patient's ID or a part
/// of the name is removed.
/// </summary>
public sealed class DicomDeidentifier(Pseudonymizer pseudonyms)
{
    private static readonly HashSet<DicomTag> Emptied =
    [
        DicomTag.AccessionNumber, DicomTag.StudyID, DicomTag.ReferringPhysicianName, DicomTag.PatientBirthDate, DicomTag.ContentCreatorName,
    ];

    private static readonly HashSet<DicomTag> Removed =
    [
        DicomTag.OtherPatientIDs, DicomTag.OtherPatientIDsSequence, DicomTag.OtherPatientNames, DicomTag.PatientBirthName,
        DicomTag.PatientMotherBirthName, DicomTag.PatientAddress, DicomTag.PatientTelephoneNumbers, DicomTag.IssuerOfPatientID,
        DicomTag.PatientComments, DicomTag.AdditionalPatientHistory, DicomTag.AdmittingDiagnosesDescription, DicomTag.MedicalRecordLocator,
        DicomTag.InstitutionName, DicomTag.InstitutionAddress, DicomTag.InstitutionalDepartmentName, DicomTag.StationName,
        DicomTag.DeviceSerialNumber, DicomTag.PerformingPhysicianName, DicomTag.OperatorsName, DicomTag.NameOfPhysiciansReadingStudy,
        DicomTag.PhysiciansOfRecord, DicomTag.RequestingPhysician, DicomTag.StudyDescription, DicomTag.SeriesDescription,
        DicomTag.ImageComments, DicomTag.RequestAttributesSequence, DicomTag.ReferencedPatientSequence, DicomTag.InstanceCreatorUID,
        DicomTag.PerformedProcedureStepID, DicomTag.PerformedProcedureStepDescription, DicomTag.ScheduledProcedureStepID,
        DicomTag.RequestedProcedureID, DicomTag.ReasonForTheRequestedProcedure, DicomTag.OrderCallbackPhoneNumber,
        DicomTag.PerformedLocation, DicomTag.ProtocolName, DicomTag.DerivationDescription,
    ];

    private static readonly HashSet<DicomTag> Uids =
    [
        DicomTag.StudyInstanceUID, DicomTag.SeriesInstanceUID, DicomTag.SOPInstanceUID, DicomTag.FrameOfReferenceUID,
        DicomTag.ReferencedSOPInstanceUID, DicomTag.SynchronizationFrameOfReferenceUID, DicomTag.IrradiationEventUID,
        DicomTag.StorageMediaFileSetUID, DicomTag.ReferencedFrameOfReferenceUID, DicomTag.RelatedFrameOfReferenceUID,
        DicomTag.DimensionOrganizationUID, DicomTag.ConcatenationUID,
    ];

    // Only free-text VRs are searched for leftover identifiers: codes, numbers and UIDs cannot hold a name, and a
    // short numeric patient ID would otherwise match inside them.
    private static readonly HashSet<DicomVR> FreeText = [DicomVR.LO, DicomVR.SH, DicomVR.ST, DicomVR.LT, DicomVR.UT, DicomVR.UC];

    public void Apply(DicomDataset dataset, DeidentifiedPatient patient)
    {
        Walk(dataset, patient);
        dataset.AddOrUpdate(DicomTag.PatientName, patient.Pseudonym);
        dataset.AddOrUpdate(DicomTag.PatientID, patient.Pseudonym);
        dataset.AddOrUpdate(DicomTag.PatientIdentityRemoved, "YES");
        dataset.AddOrUpdate(DicomTag.DeidentificationMethod,
            "Halflife Reporting export: PS3.15 basic profile (attributes handled by Halflife), modified dates, patient characteristics kept");
        dataset.AddOrUpdate(new DicomSequence(DicomTag.DeidentificationMethodCodeSequence,
            Code("113100", "Basic Application Confidentiality Profile"),
            Code("113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
            Code("113108", "Retain Patient Characteristics Option")));
        dataset.AddOrUpdate(DicomTag.LongitudinalTemporalInformationModified, "MODIFIED");
    }

    private void Walk(DicomDataset dataset, DeidentifiedPatient patient)
    {
        var needles = Needles(patient);
        foreach (var item in dataset.ToList())
        {
            var tag = item.Tag;
            if (tag.IsPrivate || Removed.Contains(tag))
            {
                dataset.Remove(tag);
                continue;
            }
            if (item is DicomSequence sequence)
            {
                foreach (var child in sequence.Items) Walk(child, patient);
                continue;
            }
            if (item is not DicomElement element || tag == DicomTag.SpecificCharacterSet || tag == DicomTag.PixelData) continue;
            var vr = element.ValueRepresentation;
            if (tag == DicomTag.PatientName || tag == DicomTag.PatientID) continue; // replaced by the caller
            if (Emptied.Contains(tag))
            {
                dataset.AddOrUpdate(new DicomElement(tag, vr, ""));
            }
            else if (Uids.Contains(tag))
            {
                dataset.AddOrUpdate(new DicomElement(tag, DicomVR.UI, string.Join('\\', dataset.GetValues<string>(tag).Select(pseudonyms.Uid))));
            }
            else if (vr == DicomVR.DA)
            {
                dataset.AddOrUpdate(new DicomElement(tag, vr, string.Join('\\', dataset.GetValues<string>(tag).Select(d => ShiftDate(d, patient)))));
            }
            else if (vr == DicomVR.DT)
            {
                dataset.AddOrUpdate(new DicomElement(tag, vr, string.Join('\\', dataset.GetValues<string>(tag).Select(d => ShiftDateTime(d, patient)))));
            }
            else if (vr == DicomVR.PN)
            {
                // A person name we have no rule for (physicians, operators, ...) is removed, not guessed at.
                dataset.Remove(tag);
            }
            else if (FreeText.Contains(vr) && dataset.TryGetString(tag, out var text) && needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase)))
            {
                dataset.Remove(tag);
            }
        }
    }

    private static List<string> Needles(DeidentifiedPatient patient)
    {
        var needles = new List<string> { patient.PatientId };
        if (patient.PatientName is not null)
            needles.AddRange(patient.PatientName.Split(['^', '=', ' '], StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length >= 2));
        return needles.Where(n => n.Length >= 2).ToList();
    }

    private static string ShiftDate(string da, DeidentifiedPatient patient) =>
        DicomDateTime.ParseDate(da) is { } d ? DicomDateTime.FormatDate(patient.MapDate(d)) : "";

    private static string ShiftDateTime(string dt, DeidentifiedPatient patient)
    {
        var s = dt.Trim();
        if (s.Length < 8 || DicomDateTime.ParseDate(s[..8]) is not { } d) return "";
        return patient.MapDate(d).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + s[8..];
    }

    private static DicomDataset Code(string value, string meaning)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.CodeValue, value);
        item.AddOrUpdate(DicomTag.CodingSchemeDesignator, "DCM");
        item.AddOrUpdate(DicomTag.CodeMeaning, meaning);
        return item;
    }
}
