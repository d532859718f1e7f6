using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Halflife.Reporting.Data;
using Halflife.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Gateway.Tests;

/// <summary>The seed's derived data: what Denoise, Restore and Reporting made of the NM study, a report and an export.</summary>
public sealed partial class RouteMatrixTests
{
    private static async Task<Seed> SeedDerivedAsync(HttpClient client, StandaloneHost host, Seed seed)
    {
        var admin = Token(Roles.Admin);
        var denoised = await PollAsync(async () =>
            (await GetAsync<List<JsonObject>>(client, $"/api/denoise/denoised?sourceInstanceId={seed.InstanceId}", admin)).FirstOrDefault(), "the denoised image");
        var restored = await PollAsync(async () =>
            (await GetAsync<List<JsonObject>>(client, $"/api/restore/derived?sourceInstanceId={seed.InstanceId}", admin)).FirstOrDefault(), "the restored image");
        // Reporting keeps its own copy of each derived image under its own id, which no route lists: read its table.
        var reportingDerived = await PollAsync(() => Reporting(host, db => db.DerivedImages.Where(d => d.SourceInstanceId == seed.InstanceId)
            .Select(d => d.Id.ToString()).FirstOrDefaultAsync(Ct)), "Reporting's copy of a derived image");
        await PollAsync(() => Reporting(host, db => db.Studies.Where(s => s.StudyInstanceUid == seed.StudyUid && s.ProjectId == Project)
            .Select(s => s.StudyInstanceUid).FirstOrDefaultAsync(Ct)), "the study in Reporting's index, in project alpha");

        // poumonsReins.dcm carries the accession number "petctviewer.org": the report links to the seeded study.
        using var report = new HttpRequestMessage(HttpMethod.Post, "/api/reporting/reports")
        {
            Content = JsonContent.Create(new { text = "IMPRESSION: No evidence of bony metastasis.", accessionNumber = "petctviewer.org" }),
        };
        report.Headers.Authorization = new("Bearer", Token(Roles.Radiologist, Project));
        using var reportResponse = await client.SendAsync(report, Ct);
        Assert.True(reportResponse.StatusCode == HttpStatusCode.Created, $"{(int)reportResponse.StatusCode} {await reportResponse.Content.ReadAsStringAsync(Ct)}");
        var submitted = (await reportResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal(seed.StudyUid, (string?)submitted["studyInstanceUid"]);

        using var export = new HttpRequestMessage(HttpMethod.Post, "/api/reporting/exports") { Content = JsonContent.Create(new { }) };
        export.Headers.Authorization = new("Bearer", Token(Roles.Researcher, Project));
        using var exportResponse = await client.SendAsync(export, Ct);
        Assert.True(exportResponse.StatusCode == HttpStatusCode.Accepted, $"{(int)exportResponse.StatusCode} {await exportResponse.Content.ReadAsStringAsync(Ct)}");
        var exportId = (string)(await exportResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
        var finished = await PollAsync(async () =>
        {
            var status = await GetAsync<JsonObject>(client, $"/api/reporting/exports/{exportId}", Token(Roles.Researcher, Project));
            return (string?)status["state"] is "Completed" or "Failed" ? status : null;
        }, "the export to finish");
        Assert.True((string?)finished["state"] == "Completed", finished.ToJsonString());

        return seed with
        {
            DenoisedId = Guid.Parse((string)denoised["id"]!),
            RestoredId = Guid.Parse((string)restored["id"]!),
            ReportingDerivedId = Guid.Parse(reportingDerived),
            ReportId = Guid.Parse((string)submitted["reportId"]!),
            ExportId = Guid.Parse(exportId),
        };
    }

    private static async Task<T?> Reporting<T>(StandaloneHost host, Func<ReportingDbContext, Task<T?>> query)
    {
        using var scope = host.App.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    /// <summary>Derived images and Reporting's index follow the upload through the bus: wait for them.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(250, Ct);
        }
    }
}
