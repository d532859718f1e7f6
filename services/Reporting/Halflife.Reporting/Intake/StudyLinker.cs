using Halflife.Contracts;
using Halflife.Reporting.Data;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Intake;

/// <summary>
/// Finds the study a report is about: by accession number, else by patient ID and study date. The accession number
/// is the order's identity, so when a report names one it links only through it (a patient can have two bone scans
/// on one day, a 2 h and a 4 h study, and only the accession tells which one was read).
/// </summary>
public sealed class StudyLinker(ReportingDbContext db)
{
    public sealed record Link(string? StudyInstanceUid, string Note);

    public async Task<Link> FindStudyAsync(string? accessionNumber, string? patientId, string? studyDate, CancellationToken ct)
    {
        if (accessionNumber is not null)
        {
            var byAccession = await db.Studies.AsNoTracking().Where(s => s.AccessionNumber == accessionNumber)
                .Select(s => s.StudyInstanceUid).ToListAsync(ct);
            if (byAccession.Count == 1) return new Link(byAccession[0], "linked by accession number");
            if (byAccession.Count > 1)
                return new Link(null, $"pending: {byAccession.Count} studies share accession number {accessionNumber}");
        }
        if (patientId is not null && studyDate is not null)
        {
            var sameDay = await db.Studies.AsNoTracking().Where(s => s.PatientId == patientId && s.StudyDate == studyDate)
                .ToListAsync(ct);
            // A report that names an accession number no study carries yet waits for that study, unless the patient
            // had exactly one study that day whose own accession number is missing.
            if (accessionNumber is not null) sameDay = sameDay.Where(s => s.AccessionNumber is null).ToList();
            if (sameDay.Count == 1) return new Link(sameDay[0].StudyInstanceUid, "linked by patient ID and study date");
            if (sameDay.Count > 1)
            {
                // Early and standard acquisitions of one day can be separate studies; the report is read on the last.
                var latest = sameDay.OrderBy(s => s.StudyTime ?? "").Last();
                return new Link(latest.StudyInstanceUid,
                    $"linked by patient ID and study date to the latest of {sameDay.Count} studies that day");
            }
        }
        return new Link(null, accessionNumber is not null
            ? "pending: no study with this accession number yet"
            : "pending: no study for this patient on this date yet");
    }

    /// <summary>
    /// Links reports that were waiting for <paramref name="study"/> and enqueues ReportParsed again with the study UID.
    /// The caller saves (in the same transaction as the study row).
    /// </summary>
    public async Task<IReadOnlyList<Report>> LinkPendingReportsAsync(IndexedStudy study, CancellationToken ct)
    {
        var candidates = new List<Report>();
        if (study.AccessionNumber is not null)
            candidates.AddRange(await db.Reports.Where(r => r.StudyInstanceUid == null && r.AccessionNumber == study.AccessionNumber).ToListAsync(ct));
        if (study.PatientId is not null && study.StudyDate is not null)
        {
            var byPatient = await db.Reports.Where(r => r.StudyInstanceUid == null && r.PatientId == study.PatientId
                && r.StudyDate == study.StudyDate && (r.AccessionNumber == null || study.AccessionNumber == null)).ToListAsync(ct);
            candidates.AddRange(byPatient.Where(r => candidates.All(c => c.Id != r.Id)));
        }
        foreach (var report in candidates)
        {
            report.StudyInstanceUid = study.StudyInstanceUid;
            report.LinkNote = report.AccessionNumber is not null && report.AccessionNumber == study.AccessionNumber
                ? "linked by accession number when the study arrived"
                : "linked by patient ID and study date when the study arrived";
            report.UpdatedAt = DateTime.UtcNow;
            var current = await db.ReportVersions.AsNoTracking()
                .FirstAsync(v => v.ReportId == report.Id && v.Version == report.CurrentVersion, ct);
            db.EnqueueEvent(new ReportParsed(report.Id, study.StudyInstanceUid, current.ImpressionCategory, current.FindingCount, DateTimeOffset.UtcNow));
        }
        return candidates;
    }
}
