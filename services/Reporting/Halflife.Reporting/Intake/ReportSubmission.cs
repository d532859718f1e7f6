namespace Halflife.Reporting.Intake;

/// <summary>A report as it arrived, REST or HL7, before it is stored.</summary>
/// <param name="StudyDate">YYYYMMDD (ISO yyyy-MM-dd is accepted and normalised by <see cref="ReportIntake"/>).</param>
/// <param name="ControlId">HL7 MSH-10, or a REST client's idempotency key: the same id again is a duplicate.</param>
/// <param name="ResultStatus">HL7 OBR-25 (F final, C corrected, P preliminary...).</param>
/// <param name="Amends">The report this one corrects (REST); HL7 says so with result status C.</param>
public sealed record ReportSubmission(
    string Text,
    string Source,
    string? AccessionNumber = null,
    string? PatientId = null,
    string? StudyDate = null,
    string? ControlId = null,
    string ResultStatus = "F",
    Guid? Amends = null,
    string? Author = null);

public enum IntakeOutcome { Created, Amended, Duplicate }

public sealed record IntakeResult(IntakeOutcome Outcome, Guid ReportId, int Version, string? StudyInstanceUid, string? LinkNote);

/// <summary>The submission cannot be taken; the message says why (shown to the sender, or in MSA-3/ERR).</summary>
public sealed class ReportRejectedException(string message, bool conflict = false) : Exception(message)
{
    /// <summary>True when the report exists with other text and the sender did not say it amends it.</summary>
    public bool IsConflict { get; } = conflict;
}
