namespace Halflife.Reporting.Export;

public enum ExportImages { Dicom, Png, None }

public enum ExportDates
{
    /// <summary>Every date of a patient moved back by the same secret number of days (PS3.15 modified dates).</summary>
    Shift,
    /// <summary>Only days since the patient's first scan in the export; DICOM dates become 2000-01-01 plus that offset.</summary>
    Offset,
}

/// <summary>POST /api/reporting/exports: which pairs, which labels, what files, and whether to de-identify.</summary>
/// <param name="DateFrom">First scan day, inclusive (yyyy-MM-dd).</param>
/// <param name="DateTo">Last scan day, inclusive.</param>
/// <param name="ImpressionCategories">Keep pairs whose report has one of these categories (NoMetastasis, Metastasis, ...).</param>
/// <param name="MetastasisSite">Keep pairs whose report asserts a metastasis at this site (Rib, Spine, ...).</param>
/// <param name="HasRestored">true: only pairs whose early scan was restored; false: only those not restored.</param>
/// <param name="RequireReport">Leave out pairs without a report (they have no labels).</param>
public sealed record ExportRequest(
    DateOnly? DateFrom = null,
    DateOnly? DateTo = null,
    IReadOnlyList<string>? ImpressionCategories = null,
    string? MetastasisSite = null,
    bool? HasRestored = null,
    bool RequireReport = false,
    ExportImages Images = ExportImages.Dicom,
    bool IncludeRestored = true,
    bool Deidentify = true,
    ExportDates Dates = ExportDates.Shift);
