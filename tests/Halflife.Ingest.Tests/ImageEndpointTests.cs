using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Halflife.Contracts;
using Halflife.Testing;

namespace Halflife.Ingest.Tests;

/// <summary>The original image as the viewer sees it (info + windowed PNG), and the study context on the event.</summary>
public sealed class ImageEndpointTests
{
    [Fact]
    public async Task An_nm_instance_is_shown_per_view_with_the_requested_window()
    {
        await using var ingest = await IngestHost.StartAsync();
        var id = await StoreAsync(ingest, "poumonsReins.dcm");
        var ct = TestContext.Current.CancellationToken;

        var info = await ingest.Http.GetFromJsonAsync<JsonElement>($"/api/ingest/instances/{id}/image", ct);
        Assert.Equal(256, info.GetProperty("width").GetInt32());
        Assert.Equal(2, info.GetProperty("frames").GetInt32());
        Assert.Equal(2, info.GetProperty("frameLabels").GetArrayLength());
        Assert.True(info.GetProperty("maximum").GetDouble() > info.GetProperty("minimum").GetDouble());

        using var narrow = await ingest.Http.GetAsync($"/api/ingest/instances/{id}/render.png?frame=1&wc=20&ww=10", ct);
        using var wide = await ingest.Http.GetAsync($"/api/ingest/instances/{id}/render.png?frame=1&wc=200&ww=400", ct);
        Assert.Equal(HttpStatusCode.OK, narrow.StatusCode);
        Assert.Equal("image/png", narrow.Content.Headers.ContentType?.MediaType);
        Assert.Equal("10", narrow.Headers.GetValues("X-Window-Width").Single());
        var narrowPng = await narrow.Content.ReadAsByteArrayAsync(ct);
        var widePng = await wide.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(0x89, narrowPng[0]);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(narrowPng, 1, 3));
        Assert.Equal(256, ReadPngWidth(narrowPng));
        Assert.NotEqual(narrowPng, widePng); // the window really changes the picture
    }

    [Fact]
    public async Task Bad_requests_get_problem_details()
    {
        await using var ingest = await IngestHost.StartAsync();
        var nm = await StoreAsync(ingest, "poumonsReins.dcm");
        var jpeg = await StoreAsync(ingest, "GH184.dcm");
        var ct = TestContext.Current.CancellationToken;

        await AssertProblem(ingest, $"/api/ingest/instances/{Guid.NewGuid()}/render.png", HttpStatusCode.NotFound, ct);
        await AssertProblem(ingest, $"/api/ingest/instances/{nm}/render.png?frame=2", HttpStatusCode.BadRequest, ct);
        await AssertProblem(ingest, $"/api/ingest/instances/{nm}/render.png?wc=10", HttpStatusCode.BadRequest, ct);
        await AssertProblem(ingest, $"/api/ingest/instances/{nm}/render.png?wc=10&ww=0", HttpStatusCode.BadRequest, ct);
        var detail = await AssertProblem(ingest, $"/api/ingest/instances/{jpeg}/render.png", HttpStatusCode.UnprocessableEntity, ct);
        Assert.Contains("cannot decode", detail);
    }

    [Fact]
    public async Task InstanceReceived_carries_patient_and_timing_from_the_header()
    {
        await using var ingest = await IngestHost.StartAsync();
        await StoreAsync(ingest, "poumonsReins.dcm");
        var received = Assert.Single(await ingest.WaitForEventsAsync<InstanceReceived>(_ => true));
        var header = Halflife.Dicom.DicomFile.Open(TestPaths.Data("dicom", "poumonsReins.dcm")).Dataset;
        Assert.NotNull(received.Context);
        Assert.Equal(header.GetString(Halflife.Dicom.DicomTag.PatientID).Trim(), received.Context!.PatientId);
        Assert.Equal(header.GetString(Halflife.Dicom.DicomTag.StudyDate).Trim(), received.Context.StudyDate);
        Assert.Equal(header.TryGetString(Halflife.Dicom.DicomTag.AcquisitionTime, out var t) ? t.Trim() : null, received.Context.AcquisitionTime);
    }

    private static async Task<Guid> StoreAsync(IngestHost ingest, string name)
    {
        using var content = new ByteArrayContent(await System.IO.File.ReadAllBytesAsync(TestPaths.Data("dicom", name)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        using var response = await ingest.Http.PostAsync("/api/ingest/instances", content, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var stored = await response.Content.ReadFromJsonAsync<StoredInstance>(TestContext.Current.CancellationToken);
        return stored!.InstanceId;
    }

    private static async Task<string> AssertProblem(IngestHost ingest, string url, HttpStatusCode status, CancellationToken ct)
    {
        using var response = await ingest.Http.GetAsync(url, ct);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("detail").GetString() ?? "";
    }

    private static int ReadPngWidth(byte[] png) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
}
