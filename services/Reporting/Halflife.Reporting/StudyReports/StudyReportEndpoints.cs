using Halflife.Dicom.Web;
using System.Globalization;
using System.Text;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Halflife.Dicom.Network;
using Halflife.Reporting.Access;
using Halflife.Reporting.Data;
using Halflife.Reporting.Parsing;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.StudyReports;

/// <summary>
/// /api/reporting/studies/{uid}/report (JSON), report.html (printable), report/sr (the DICOM SR) and
/// report/sr/forward (C-STORE to PACS); /instances/{id} and /derived/{id} image info and PNG renders. Each follows
/// its study's project (404 for other projects); report views, SR downloads and forwards are audited.
/// </summary>
public static class StudyReportEndpoints
{
    public static RouteGroupBuilder MapStudyReportEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").RequireProjectAccess(AuditResources.Study, ReportingProjects.OfStudyAsync, "studyUid");
        group.MapGet("/studies/{studyUid}/report", JsonAsync).WithName("GetStudyReport").WithSummary("view")
            .Audited(AuditActions.View, AuditResources.Report, "studyUid");
        group.MapGet("/studies/{studyUid}/report.html", HtmlAsync).WithName("GetStudyReportPage").WithSummary("view")
            .Audited(AuditActions.View, AuditResources.Report, "studyUid");
        group.MapGet("/studies/{studyUid}/report/sr", SrAsync).WithName("DownloadStudyReportSr").WithSummary("download")
            .Audited(AuditActions.Download, AuditResources.Report, "studyUid");
        group.MapPost("/studies/{studyUid}/report/sr/forward", ForwardAsync).WithName("ForwardStudyReportSr").WithSummary("change: send to PACS")
            .Audited(AuditActions.Change, AuditResources.Report, "studyUid");
        // Reporting's own copies of the images (so a study report needs no other service), shown the house way.
        api.MapGroup("").RequireProjectAccess(AuditResources.Instance, ReportingProjects.OfInstanceAsync)
            .MapDicomImage("/instances", "ReportingInstance", (context, id, ct) =>
                context.RequestServices.GetRequiredService<ReportingDbContext>().Instances
                    .Where(i => i.InstanceId == id).Select(i => i.BlobKey).FirstOrDefaultAsync(ct)!);
        api.MapGroup("").RequireProjectAccess(AuditResources.DerivedImage, ReportingProjects.OfDerivedAsync)
            .MapDicomImage("/derived", "ReportingDerived", (context, id, ct) =>
                context.RequestServices.GetRequiredService<ReportingDbContext>().DerivedImages
                    .Where(d => d.Id == id).Select(d => d.BlobKey).FirstOrDefaultAsync(ct)!);
        return api;
    }

    private static async Task<IResult> JsonAsync(string studyUid, StudyReportBuilder builder, CancellationToken ct)
    {
        var doc = await builder.BuildAsync(studyUid, withPictures: false, ct);
        return doc is null ? NotFound(studyUid) : Results.Json(doc, ReportJson.Options);
    }

    private static async Task<IResult> HtmlAsync(string studyUid, StudyReportBuilder builder, CancellationToken ct)
    {
        var doc = await builder.BuildAsync(studyUid, withPictures: true, ct);
        return doc is null ? NotFound(studyUid) : Results.Text(StudyReportHtml.Render(doc), "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<IResult> SrAsync(string studyUid, StructuredReportService service, IBlobStore blobs, CancellationToken ct)
    {
        var (sr, problem) = await service.GetOrCreateAsync(studyUid, ct);
        if (sr is null) return Results.Problem(problem, statusCode: StatusCodes.Status404NotFound);
        return Results.Stream(await blobs.OpenReadAsync(sr.BlobKey, cancellationToken: ct), "application/dicom", $"{sr.SopInstanceUid}.dcm");
    }

    private static async Task<IResult> ForwardAsync(string studyUid, StructuredReportService service, CancellationToken ct)
    {
        var (sr, problem) = await service.GetOrCreateAsync(studyUid, ct);
        if (sr is null) return Results.Problem(problem, statusCode: StatusCodes.Status404NotFound);
        try
        {
            var result = await service.ForwardAsync(sr, ct);
            return result.Status == DicomStatus.Success.Code
                ? Results.Ok(result)
                : Results.Json(result, statusCode: StatusCodes.Status502BadGateway);
        }
        catch (InvalidOperationException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (Exception e) when (e is DicomNetworkException or System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            return Results.Problem($"The PACS could not be reached or refused the association: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static IResult NotFound(string studyUid) =>
        Results.Problem(string.Create(CultureInfo.InvariantCulture, $"Study {studyUid} is not known to Reporting."), statusCode: StatusCodes.Status404NotFound);
}
