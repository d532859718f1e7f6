using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Halflife.Reporting.Access;
using Halflife.Reporting.Data;
using Halflife.Reporting.Parsing;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Halflife.Reporting.Intake;

public sealed record ReportRequest(string? Text, string? AccessionNumber, string? PatientId, string? StudyDate,
    Guid? Amends, string? ControlId, string? Author);

public sealed record ReportSummaryDto(Guid Id, string? AccessionNumber, string? PatientId, string? StudyDate, string? StudyInstanceUid,
    string? LinkNote, int CurrentVersion, string ImpressionCategory, int FindingCount, DateTime UpdatedAt);

public sealed record ReportVersionDto(int Version, string Source, string ResultStatus, string? ControlId, string? Author,
    DateTime ReceivedAt, string ImpressionCategory, int FindingCount, string MetastasisSites, string Text, JsonNode? Parsed);

public sealed record ReportDto(Guid Id, string? AccessionNumber, string? PatientId, string? StudyDate, string? StudyInstanceUid,
    string? LinkNote, int CurrentVersion, ReportVersionDto Current);

/// <summary>
/// /api/reporting/reports: intake (text/plain or JSON), lists, a report with its parsed form, and its history. A report
/// follows its linked study's project (pending ones: the default project); submissions and views are audited.
/// </summary>
public static class ReportEndpoints
{
    // Bytes, not characters: the parser's cap in UTF-8 Hangul (3 bytes each), plus room for JSON framing.
    private const int MaxBodyBytes = ReportParser.MaxLength * 3 + 64 * 1024;

    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").RequireProjectAccess(AuditResources.Report, ReportingProjects.OfReportAsync);
        group.MapPost("/reports", SubmitAsync).WithName("SubmitReport").WithSummary("change: submit or amend a report")
            .Audited(AuditActions.Create, AuditResources.Report, resourceId: AuditEndpointExtensions.CreatedId);
        group.MapGet("/reports", ListAsync).WithName("ListReports").WithSummary("view");
        group.MapGet("/reports/{id:guid}", GetAsync).WithName("GetReport").WithSummary("view").Audited(AuditActions.View, AuditResources.Report);
        group.MapGet("/reports/{id:guid}/versions", VersionsAsync).WithName("ListReportVersions").WithSummary("view")
            .Audited(AuditActions.View, AuditResources.Report);
        return api;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, ReportIntake intake, CancellationToken ct)
    {
        ReportSubmission submission;
        try
        {
            submission = await ReadSubmissionAsync(request, ct);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException or DecoderFallbackException)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        try
        {
            var result = await intake.SubmitAsync(submission, ct);
            var body = new { reportId = result.ReportId, version = result.Version, outcome = result.Outcome.ToString(),
                studyInstanceUid = result.StudyInstanceUid, linkNote = result.LinkNote };
            return result.Outcome == IntakeOutcome.Duplicate
                ? Results.Ok(body)
                : Results.Created($"/api/reporting/reports/{result.ReportId}", body);
        }
        catch (ReportRejectedException e)
        {
            return Results.Problem(e.Message, statusCode: e.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<ReportSubmission> ReadSubmissionAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) throw new InvalidDataException($"The body is larger than {MaxBodyBytes} bytes.");
        var bytes = await ReadBoundedAsync(request.Body, ct);
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType);
        var encoding = mediaType?.Encoding ?? new UTF8Encoding(false, throwOnInvalidBytes: true);
        if (mediaType?.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var json = JsonSerializer.Deserialize<ReportRequest>(bytes, JsonSerializerOptions.Web)
                       ?? throw new FormatException("The JSON body is empty.");
            return new ReportSubmission(json.Text ?? "", ReportSources.Rest, json.AccessionNumber, json.PatientId, json.StudyDate,
                json.ControlId ?? Header(request, "Idempotency-Key"), json.Amends is null ? "F" : "C", json.Amends, json.Author);
        }
        if (mediaType is not null && !mediaType.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"Content type {mediaType.MediaType} is not accepted; send text/plain or application/json.");
        var text = encoding.GetString(bytes);
        string? Value(string query, string header) => request.Query[query].FirstOrDefault() ?? Header(request, header);
        var amendsText = Value("amends", "X-Amends");
        Guid? amends = amendsText is null ? null
            : Guid.TryParse(amendsText, out var g) ? g : throw new FormatException($"'{amendsText}' is not a report id.");
        return new ReportSubmission(text, ReportSources.Rest, Value("accessionNumber", "X-Accession-Number"),
            Value("patientId", "X-Patient-Id"), Value("studyDate", "X-Study-Date"),
            Value("controlId", "Idempotency-Key"), amends is null ? "F" : "C", amends, Value("author", "X-Author"));
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;

    private static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw new InvalidDataException($"The body is larger than {MaxBodyBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async Task<IResult> ListAsync(ReportingDbContext db, ProjectAccess access, IAuditLog audit, string? accessionNumber, string? patientId,
        string? studyInstanceUid, bool? pending, int? limit, CancellationToken ct)
    {
        // A search by patient or order is itself a look at patient data: audited with its criteria (as in Ingest).
        if (!string.IsNullOrWhiteSpace(patientId) || !string.IsNullOrWhiteSpace(accessionNumber))
            await audit.RecordAsync(AuditActions.View, AuditResources.Report, "search", details: $"patientId={patientId} accessionNumber={accessionNumber}",
                cancellationToken: ct);
        var query = db.Reports.AsNoTracking().VisibleTo(db, access);
        if (accessionNumber is not null) query = query.Where(r => r.AccessionNumber == accessionNumber);
        if (patientId is not null) query = query.Where(r => r.PatientId == patientId);
        if (studyInstanceUid is not null) query = query.Where(r => r.StudyInstanceUid == studyInstanceUid);
        if (pending == true) query = query.Where(r => r.StudyInstanceUid == null);
        var rows = await query.OrderByDescending(r => r.UpdatedAt).Take(Math.Clamp(limit ?? 100, 1, 1000))
            .Join(db.ReportVersions, r => new { r.Id, V = r.CurrentVersion }, v => new { Id = v.ReportId, V = v.Version },
                (r, v) => new ReportSummaryDto(r.Id, r.AccessionNumber, r.PatientId, r.StudyDate, r.StudyInstanceUid, r.LinkNote,
                    r.CurrentVersion, v.ImpressionCategory, v.FindingCount, r.UpdatedAt))
            .ToListAsync(ct);
        return Results.Ok(rows);
    }

    private static async Task<IResult> GetAsync(ReportingDbContext db, Guid id, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (report is null) return Results.Problem($"Report {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        var current = await db.ReportVersions.AsNoTracking().FirstAsync(v => v.ReportId == id && v.Version == report.CurrentVersion, ct);
        return Results.Json(new ReportDto(report.Id, report.AccessionNumber, report.PatientId, report.StudyDate, report.StudyInstanceUid,
            report.LinkNote, report.CurrentVersion, ToDto(current)), ReportJson.Options);
    }

    private static async Task<IResult> VersionsAsync(ReportingDbContext db, Guid id, CancellationToken ct)
    {
        var versions = await db.ReportVersions.AsNoTracking().Where(v => v.ReportId == id).OrderBy(v => v.Version).ToListAsync(ct);
        if (versions.Count == 0) return Results.Problem($"Report {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        return Results.Json(versions.Select(ToDto), ReportJson.Options);
    }

    public static ReportVersionDto ToDto(ReportVersion v) => new(v.Version, v.Source, v.ResultStatus, v.ControlId, v.Author,
        DateTime.SpecifyKind(v.ReceivedAt, DateTimeKind.Utc), v.ImpressionCategory, v.FindingCount, v.MetastasisSites, v.Text,
        JsonNode.Parse(v.ParsedJson));
}
