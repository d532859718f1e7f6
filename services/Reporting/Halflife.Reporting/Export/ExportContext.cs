namespace Halflife.Reporting.Export;

/// <summary>What one export run carries from day to day: the request, the de-identification tools and per-patient first days.</summary>
public sealed class ExportContext(ExportRequest request, Pseudonymizer? pseudonymizer, ScanPairing pairing,
    DicomDeidentifier? deidentifier, ReidentificationKeyFile? keyFile)
{
    // Rows arrive ordered by patient, so only the current patient's first day is needed: memory does not grow.
    private string? _patient;
    private DateOnly _firstDay;

    public ExportRequest Request { get; } = request;
    public Pseudonymizer? Pseudonymizer { get; } = pseudonymizer;
    public ScanPairing Pairing { get; } = pairing;
    public DicomDeidentifier? Deidentifier { get; } = deidentifier;
    public ReidentificationKeyFile? KeyFile { get; } = keyFile;

    public int DayOffset(string patientId, DateOnly day)
    {
        if (_patient != patientId)
        {
            _patient = patientId;
            _firstDay = day;
        }
        return day.DayNumber - _firstDay.DayNumber;
    }

    public DeidentifiedPatient Patient(string patientId, string? patientName, DateOnly day)
    {
        DayOffset(patientId, day); // remembers the patient's first day for offsets
        if (Pseudonymizer is null) return new DeidentifiedPatient(patientId, patientName, patientId, d => d);
        var pseudonym = Pseudonymizer.Patient(patientId);
        if (Request.Dates == ExportDates.Offset)
        {
            var first = _firstDay;
            KeyFile!.Patient(pseudonym, patientId, patientName, null, first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            // DICOM needs a real date: day offsets are written as 2000-01-01 plus the offset.
            return new DeidentifiedPatient(patientId, patientName, pseudonym, d => new DateOnly(2000, 1, 1).AddDays(d.DayNumber - first.DayNumber));
        }
        var shift = Pseudonymizer.DateShiftDays(patientId);
        KeyFile!.Patient(pseudonym, patientId, patientName, shift, null);
        return new DeidentifiedPatient(patientId, patientName, pseudonym, d => d.AddDays(-shift));
    }
}
