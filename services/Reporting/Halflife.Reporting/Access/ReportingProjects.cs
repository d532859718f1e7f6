using Halflife.Reporting.Data;
using Halflife.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Access;

/// <summary>
/// Which project a Reporting resource belongs to: its study's (from InstanceReceived.ProjectId, kept on the study
/// index). Images, derived images and linked reports follow their study; a report not yet linked to a study belongs
/// to the default project. Used by the group filters (404 for other projects) and the list filters.
/// </summary>
public static class ReportingProjects
{
    public static Task<ResourceProject?> OfStudyAsync(HttpContext http, string studyUid, CancellationToken ct) =>
        Db(http).Studies.AsNoTracking().Where(s => s.StudyInstanceUid == studyUid)
            .Select(s => new ResourceProject(s.ProjectId)).FirstOrDefaultAsync(ct);

    public static Task<ResourceProject?> OfInstanceAsync(HttpContext http, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid)) return Task.FromResult<ResourceProject?>(null);
        var db = Db(http);
        return db.Instances.AsNoTracking().Where(i => i.InstanceId == guid)
            .Select(i => new ResourceProject(db.Studies.Where(s => s.StudyInstanceUid == i.StudyInstanceUid).Select(s => s.ProjectId).FirstOrDefault()))
            .FirstOrDefaultAsync(ct);
    }

    public static Task<ResourceProject?> OfDerivedAsync(HttpContext http, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid)) return Task.FromResult<ResourceProject?>(null);
        var db = Db(http);
        return db.DerivedImages.AsNoTracking().Where(d => d.Id == guid)
            .Select(d => new ResourceProject(db.Studies.Where(s => s.StudyInstanceUid == d.StudyInstanceUid).Select(s => s.ProjectId).FirstOrDefault()))
            .FirstOrDefaultAsync(ct);
    }

    public static Task<ResourceProject?> OfReportAsync(HttpContext http, string id, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var guid)) return Task.FromResult<ResourceProject?>(null);
        var db = Db(http);
        return db.Reports.AsNoTracking().Where(r => r.Id == guid)
            .Select(r => new ResourceProject(db.Studies.Where(s => s.StudyInstanceUid == r.StudyInstanceUid).Select(s => s.ProjectId).FirstOrDefault()))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Reports whose study the caller may see; pending reports count as the default project.</summary>
    public static IQueryable<Report> VisibleTo(this IQueryable<Report> reports, ReportingDbContext db, ProjectAccess access)
    {
        if (access.SeesAll) return reports;
        var unassigned = access.SeesUnassigned;
        var studies = db.Studies.VisibleTo(access, s => s.ProjectId).Select(s => s.StudyInstanceUid);
        return reports.Where(r => (r.StudyInstanceUid == null && unassigned) || (r.StudyInstanceUid != null && studies.Contains(r.StudyInstanceUid)));
    }

    /// <summary>Series of studies in the given export scope (null: every project; else project ids, "default" for none).</summary>
    public static IQueryable<IndexedSeries> InScope(this IQueryable<IndexedSeries> series, ReportingDbContext db, string? scope)
    {
        if (scope is null) return series;
        var projects = scope.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
        var unassigned = projects.Contains(HalflifeClaims.DefaultProject);
        var studies = db.Studies.Where(s => (s.ProjectId == null && unassigned) || (s.ProjectId != null && projects.Contains(s.ProjectId)))
            .Select(s => s.StudyInstanceUid);
        return series.Where(s => studies.Contains(s.StudyInstanceUid));
    }

    private static ReportingDbContext Db(HttpContext http) => http.RequestServices.GetRequiredService<ReportingDbContext>();
}
