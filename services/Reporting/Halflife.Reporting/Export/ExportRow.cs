namespace Halflife.Reporting.Export;

/// <summary>One early/standard pair as written to CSV and XLSX. De-identified exports leave the identifying columns empty.</summary>
public sealed record ExportRow(
    string PairId,
    string Patient,
    string? PatientName,
    string? Sex,
    int? AgeAtScan,
    string? ScanDate,
    int? DayOffset,
    string EarlyStudyUid,
    string EarlySeriesUid,
    string? EarlyTime,
    int? EarlyMinutesAfterInjection,
    string StandardStudyUid,
    string StandardSeriesUid,
    string? StandardTime,
    int? StandardMinutesAfterInjection,
    string PairingMethod,
    string? PairingNote,
    bool EarlyRestored,
    string? RestoredModel,
    string? ImpressionCategory,
    string? MetastasisSites,
    int? FindingCount,
    string? Findings,
    int? ReportVersion,
    string? ReportStatus,
    string? ReportText,
    int Files)
{
    public static readonly string[] Headers =
    [
        "pair_id", "patient", "patient_name", "sex", "age_at_scan", "scan_date", "day_offset",
        "early_study_uid", "early_series_uid", "early_time", "early_minutes_after_injection",
        "standard_study_uid", "standard_series_uid", "standard_time", "standard_minutes_after_injection",
        "pairing_method", "pairing_note", "early_restored", "restored_model",
        "impression_category", "metastasis_sites", "finding_count", "findings", "report_version", "report_status", "report_text", "files",
    ];

    /// <summary>The cells in <see cref="Headers"/> order; numbers stay numbers (for XLSX).</summary>
    public object?[] Cells() =>
    [
        PairId, Patient, PatientName, Sex, AgeAtScan, ScanDate, DayOffset,
        EarlyStudyUid, EarlySeriesUid, EarlyTime, EarlyMinutesAfterInjection,
        StandardStudyUid, StandardSeriesUid, StandardTime, StandardMinutesAfterInjection,
        PairingMethod, PairingNote, EarlyRestored ? "yes" : "no", RestoredModel,
        ImpressionCategory, MetastasisSites, FindingCount, Findings, ReportVersion, ReportStatus, ReportText, Files,
    ];
}
