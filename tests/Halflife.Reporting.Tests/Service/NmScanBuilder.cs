using Halflife.Dicom;

namespace Halflife.Reporting.Tests.Service;

/// <summary>
/// Builds real whole-body bone-scan NM instances for the tests: two frames (anterior, posterior) of Poisson counts
/// around a skeleton-like shape, with patient, study, acquisition and injection times, in UTF-8 (ISO_IR 192) so that
/// Korean names survive.
/// </summary>
public sealed record NmScan(
    string PatientId,
    string PatientName,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string StudyDate,
    string AcquisitionTime,
    string? InjectionTime,
    string? AccessionNumber,
    double CountScale = 1.0,
    int Width = 64,
    int Height = 128)
{
    public string SopInstanceUid { get; init; } = DicomUID.Generate().UID;
    public string? InstitutionName { get; init; } = "서울 핵의학 병원";
    public string? ReferringPhysician { get; init; } = "Kim^Referring";

    public DicomFile Build(int seed = 1)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        ds.AddOrUpdate(DicomTag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.20");
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, SopInstanceUid);
        ds.AddOrUpdate(DicomTag.StudyInstanceUID, StudyInstanceUid);
        ds.AddOrUpdate(DicomTag.SeriesInstanceUID, SeriesInstanceUid);
        ds.AddOrUpdate(DicomTag.FrameOfReferenceUID, DicomUID.Generate().UID);
        ds.AddOrUpdate(DicomTag.Modality, "NM");
        ds.AddOrUpdate(DicomTag.PatientName, PatientName);
        ds.AddOrUpdate(DicomTag.PatientID, PatientId);
        ds.AddOrUpdate(DicomTag.PatientBirthDate, "19580312");
        ds.AddOrUpdate(DicomTag.PatientSex, "F");
        ds.AddOrUpdate(DicomTag.StudyDate, StudyDate);
        ds.AddOrUpdate(DicomTag.StudyTime, AcquisitionTime);
        ds.AddOrUpdate(DicomTag.SeriesDate, StudyDate);
        ds.AddOrUpdate(DicomTag.SeriesTime, AcquisitionTime);
        ds.AddOrUpdate(DicomTag.AcquisitionDate, StudyDate);
        ds.AddOrUpdate(DicomTag.AcquisitionTime, AcquisitionTime);
        ds.AddOrUpdate(DicomTag.ContentDate, StudyDate);
        ds.AddOrUpdate(DicomTag.ContentTime, AcquisitionTime);
        if (AccessionNumber is not null) ds.AddOrUpdate(DicomTag.AccessionNumber, AccessionNumber);
        if (InstitutionName is not null) ds.AddOrUpdate(DicomTag.InstitutionName, InstitutionName);
        if (ReferringPhysician is not null) ds.AddOrUpdate(DicomTag.ReferringPhysicianName, ReferringPhysician);
        ds.AddOrUpdate(DicomTag.OtherPatientIDs, PatientId + "-OLD");
        ds.AddOrUpdate(DicomTag.StudyDescription, "Bone scan whole body");
        ds.AddOrUpdate(DicomTag.SeriesDescription, $"WB {AcquisitionTime[..4]}");
        ds.AddOrUpdate(DicomTag.StudyID, "1");
        ds.AddOrUpdate(DicomTag.SeriesNumber, "1");
        ds.AddOrUpdate(DicomTag.InstanceNumber, "1");
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTag.Radiopharmaceutical, "Tc-99m MDP");
        if (InjectionTime is not null) item.AddOrUpdate(DicomTag.RadiopharmaceuticalStartTime, InjectionTime);
        ds.AddOrUpdate(new DicomSequence(DicomTag.RadiopharmaceuticalInformationSequence, item));
        // A private element that a de-identifier must drop.
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x0010), DicomVR.LO, "HALFLIFE TEST"));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1001), DicomVR.LO, PatientId));

        ds.AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTag.Rows, (ushort)Height);
        ds.AddOrUpdate(DicomTag.Columns, (ushort)Width);
        ds.AddOrUpdate(DicomTag.NumberOfFrames, "2");
        ds.AddOrUpdate(DicomTag.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTag.BitsStored, (ushort)16);
        ds.AddOrUpdate(DicomTag.HighBit, (ushort)15);
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)0);
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, Pixels(seed)));
        return new DicomFile(ds);
    }

    private byte[] Pixels(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[Width * Height * 2 * 2];
        var i = 0;
        for (var frame = 0; frame < 2; frame++)
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            // A bright spine column and a dim body: enough structure for counts and noise to mean something.
            var body = Math.Abs(x - Width / 2) < Width / 4 ? 20.0 : 2.0;
            var spine = Math.Abs(x - Width / 2) < 3 ? 60.0 : 0.0;
            var value = Poisson(random, (body + spine) * CountScale);
            bytes[i++] = (byte)value;
            bytes[i++] = (byte)(value >> 8);
        }
        return bytes;
    }

    private static int Poisson(Random random, double mean)
    {
        if (mean > 30) return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * Gaussian(random)));
        var l = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= random.NextDouble();
        } while (p > l);
        return k - 1;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
