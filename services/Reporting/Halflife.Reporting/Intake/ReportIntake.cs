using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Halflife.Contracts;
using Halflife.Reporting.Data;
using Halflife.Reporting.Index;
using Halflife.Reporting.Parsing;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Intake;

/// <summary>
/// One way in for every report (REST and HL7): de-duplicates, versions amendments, parses, links to the study and
/// announces ReportReceived / ReportParsed through the outbox, all in one transaction.
/// </summary>
public sealed class ReportIntake(
    ReportingDbContext db,
    StudyLinker linker,
    OutboxSignal<ReportingDbContext> outbox,
    ReportingMetrics metrics,
    ILogger<ReportIntake> logger)
{
    public async Task<IntakeResult> SubmitAsync(ReportSubmission submission, CancellationToken ct)
    {
        var text = submission.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (text.Length == 0) throw new ReportRejectedException("The report text is empty.");
        if (text.Length > ReportParser.MaxLength)
            throw new ReportRejectedException($"The report text has {text.Length} characters; at most {ReportParser.MaxLength} are accepted.");
        var accession = Clean(submission.AccessionNumber);
        var patientId = Clean(submission.PatientId);
        var studyDate = NormaliseDate(submission.StudyDate);
        if (accession is null && (patientId is null || studyDate is null) && submission.Amends is null)
            throw new ReportRejectedException("A report needs an accession number, or a patient ID and a study date, to be linked to its study.");
        var status = string.IsNullOrWhiteSpace(submission.ResultStatus) ? "F" : submission.ResultStatus.Trim().ToUpperInvariant();
        var controlId = Clean(submission.ControlId);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

        if (controlId is not null)
        {
            var repeated = await db.ReportVersions.AsNoTracking()
                .FirstOrDefaultAsync(v => v.ControlId == controlId && v.Source == submission.Source, ct);
            if (repeated is not null) return await DuplicateAsync(repeated, ct);
        }

        var existing = await FindExistingAsync(submission.Amends, accession, patientId, studyDate, ct);
        if (existing is not null)
        {
            var current = await db.ReportVersions.AsNoTracking()
                .FirstAsync(v => v.ReportId == existing.Id && v.Version == existing.CurrentVersion, ct);
            if (current.TextSha256 == sha) return await DuplicateAsync(current, ct);
            // REST callers must say that they amend; HL7 senders say it with OBR-25 = C, but many send a changed
            // final report as F again, and a NAK would only make them resend it, so HL7 always versions.
            var amends = submission.Amends is not null || status == "C" || submission.Source == ReportSources.Hl7;
            if (!amends)
                throw new ReportRejectedException(
                    $"Report {existing.Id} already exists for this study with other text; send it with \"amends\": \"{existing.Id}\" to correct it.",
                    conflict: true);
            return await AddVersionAsync(existing, submission with { Text = text }, status, controlId, sha, IntakeOutcome.Amended, ct);
        }
        if (submission.Amends is not null)
            throw new ReportRejectedException($"Report {submission.Amends} (to be amended) does not exist.");

        var link = await linker.FindStudyAsync(accession, patientId, studyDate, ct);
        var report = new Report
        {
            Id = Guid.CreateVersion7(), AccessionNumber = accession, PatientId = patientId, StudyDate = studyDate,
            StudyInstanceUid = link.StudyInstanceUid, LinkNote = link.Note, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
        };
        db.Reports.Add(report);
        return await AddVersionAsync(report, submission with { Text = text }, status, controlId, sha, IntakeOutcome.Created, ct);
    }

    private async Task<Report?> FindExistingAsync(Guid? amends, string? accession, string? patientId, string? studyDate, CancellationToken ct)
    {
        if (amends is not null) return await db.Reports.FirstOrDefaultAsync(r => r.Id == amends, ct);
        if (accession is not null) return await db.Reports.FirstOrDefaultAsync(r => r.AccessionNumber == accession, ct);
        return await db.Reports.FirstOrDefaultAsync(r => r.AccessionNumber == null && r.PatientId == patientId && r.StudyDate == studyDate, ct);
    }

    private async Task<IntakeResult> AddVersionAsync(Report report, ReportSubmission submission, string status, string? controlId,
        string sha, IntakeOutcome outcome, CancellationToken ct)
    {
        var parsed = ReportParser.Parse(submission.Text);
        var metastasisSites = parsed.Findings
            .Where(f => f.Interpretation == Interpretation.Metastasis && f.Assertion == Assertion.Present)
            .Select(f => f.Site.ToString()).Distinct().Order(StringComparer.Ordinal);
        var version = new ReportVersion
        {
            Id = Guid.CreateVersion7(), ReportId = report.Id, Version = report.CurrentVersion + 1, Source = submission.Source,
            ControlId = controlId, ResultStatus = status, Text = submission.Text, TextSha256 = sha, Author = Clean(submission.Author),
            ParsedJson = ReportJson.Serialize(parsed), ImpressionCategory = parsed.Impression.Category.ToString(),
            FindingCount = parsed.Findings.Count, MetastasisSites = string.Join(',', metastasisSites), ReceivedAt = DateTime.UtcNow,
        };
        db.ReportVersions.Add(version);
        report.CurrentVersion = version.Version;
        report.UpdatedAt = DateTime.UtcNow;
        var now = DateTimeOffset.UtcNow;
        db.EnqueueEvent(new ReportReceived(report.Id, report.AccessionNumber, report.PatientId, submission.Source, now));
        db.EnqueueEvent(new ReportParsed(report.Id, report.StudyInstanceUid, version.ImpressionCategory, version.FindingCount, now));
        await db.SaveChangesAsync(ct);
        outbox.Notify();
        metrics.ReportReceived(submission.Source, outcome);
        logger.LogInformation("Report {Report} v{Version} from {Source} ({Outcome}): {Category}, {Findings} finding(s), {Link}",
            report.Id, version.Version, submission.Source, outcome, version.ImpressionCategory, version.FindingCount, report.LinkNote);
        return new IntakeResult(outcome, report.Id, version.Version, report.StudyInstanceUid, report.LinkNote);
    }

    private async Task<IntakeResult> DuplicateAsync(ReportVersion version, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().FirstAsync(r => r.Id == version.ReportId, ct);
        metrics.ReportReceived(version.Source, IntakeOutcome.Duplicate);
        logger.LogInformation("Report {Report} v{Version} received again; duplicate ignored", report.Id, version.Version);
        return new IntakeResult(IntakeOutcome.Duplicate, report.Id, version.Version, report.StudyInstanceUid, report.LinkNote);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>YYYYMMDD from DICOM DA, HL7 DTM (YYYYMMDD[HHMM...]) or ISO yyyy-MM-dd.</summary>
    public static string? NormaliseDate(string? value)
    {
        var s = Clean(value);
        if (s is null) return null;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
            return DicomDateTime.FormatDate(iso);
        if (s.Length >= 8 && DicomDateTime.ParseDate(s[..8]) is { } da) return DicomDateTime.FormatDate(da);
        throw new ReportRejectedException($"'{s}' is not a date (YYYYMMDD or yyyy-MM-dd).");
    }
}

public static class ReportSources
{
    public const string Rest = "rest";
    public const string Hl7 = "hl7";
}

/// <summary>Reporting's meters (names listed in docs/observability.md by the integrator).</summary>
public sealed class ReportingMetrics : IDisposable
{
    public const string MeterName = "Halflife.Reporting";
    public const string ReportsReceivedName = "halflife.reporting.reports.received";
    public const string Hl7MessagesName = "halflife.reporting.hl7.messages";
    public const string ExportPairsName = "halflife.reporting.export.pairs";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _reports;
    private readonly Counter<long> _hl7;
    private readonly Counter<long> _pairs;

    public ReportingMetrics()
    {
        _reports = _meter.CreateCounter<long>(ReportsReceivedName, "{report}", "Reports taken in, by source and outcome");
        _hl7 = _meter.CreateCounter<long>(Hl7MessagesName, "{message}", "HL7 messages answered, by acknowledgement code");
        _pairs = _meter.CreateCounter<long>(ExportPairsName, "{pair}", "Early/standard scan pairs written to exports");
    }

    public void ReportReceived(string source, IntakeOutcome outcome) =>
        _reports.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void Hl7Answered(string ackCode) => _hl7.Add(1, new KeyValuePair<string, object?>("ack_code", ackCode));

    public void PairsExported(int count) => _pairs.Add(count);

    public void Dispose() => _meter.Dispose();
}
