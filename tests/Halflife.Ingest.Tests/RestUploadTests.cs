using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Halflife.Contracts;
using Halflife.Testing;

namespace Halflife.Ingest.Tests;

public sealed class RestUploadTests
{
    [Fact]
    public async Task Multipart_upload_stores_the_good_files_and_names_the_bad_one()
    {
        await using var ingest = await IngestHost.StartAsync();
        using var form = new MultipartFormDataContent
        {
            { File("MR_small.dcm"), "files", "MR_small.dcm" },
            { new ByteArrayContent("not a dicom file"u8.ToArray()), "files", "notes.txt" },
            { File("CT_small.dcm"), "files", "CT_small.dcm" },
        };
        using var response = await ingest.Http.PostAsync("/api/ingest/instances", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await response.Content.ReadFromJsonAsync<List<StoredInstance>>(TestContext.Current.CancellationToken);
        Assert.Equal(3, results!.Count);
        Assert.Null(results[0].Error);
        Assert.Contains("notes.txt", results[1].Error);
        Assert.Null(results[2].Error);
    }

    [Fact]
    public async Task A_body_that_is_not_dicom_gets_problem_details_not_a_crash()
    {
        await using var ingest = await IngestHost.StartAsync();
        using var content = new ByteArrayContent(new byte[5000]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        using var response = await ingest.Http.PostAsync("/api/ingest/instances", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task An_instance_over_the_size_limit_is_refused_with_413()
    {
        await using var ingest = await IngestHost.StartAsync(new() { ["Ingest:MaxInstanceBytes"] = "10000" });
        using var content = File("CT_small.dcm"); // 39 kB
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        using var response = await ingest.Http.PostAsync("/api/ingest/instances", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_catalogue_filters_by_patient_modality_accession_and_date_and_pages()
    {
        await using var ingest = await IngestHost.StartAsync();
        foreach (var name in new[] { "MR_small.dcm", "CT_small.dcm", "poumonsReins.dcm" })
        {
            using var content = File(name);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            (await ingest.Http.PostAsync("/api/ingest/instances", content, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }
        async Task<PagedResult<StudySummary>> Search(string query) =>
            (await ingest.Http.GetFromJsonAsync<PagedResult<StudySummary>>("/api/ingest/studies?" + query, TestContext.Current.CancellationToken))!;

        Assert.Equal(3, (await Search("")).Total);
        var nm = await Search("modality=NM");
        Assert.Equal("NM", Assert.Single(nm.Items).Modalities.Single());
        var ct = await Search("modality=CT");
        var patient = ct.Items.Single().PatientId!;
        Assert.All((await Search("patientId=" + Uri.EscapeDataString(patient))).Items, s => Assert.Equal(patient, s.PatientId));
        Assert.Equal(0, (await Search("accession=does-not-exist")).Total);
        Assert.Equal(0, (await Search("from=2100-01-01")).Total);
        var firstPage = await Search("page=1&pageSize=2");
        Assert.Equal(2, firstPage.Items.Count);
        Assert.Equal(3, firstPage.Total);
        Assert.Single((await Search("page=2&pageSize=2")).Items);
        using var bad = await ingest.Http.GetAsync("/api/ingest/studies?from=yesterday", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static ByteArrayContent File(string name) => new(System.IO.File.ReadAllBytes(TestPaths.Data("dicom", name)));
}
