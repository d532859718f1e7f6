using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>Cancelling queued and running jobs, and the problem details for requests that cannot be run.</summary>
[Trait("Category", "Slow")]
[Collection(ServiceCollection.Name)]
public sealed class CancelAndRefusalTests(ServiceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private SegmentationHost Host => fixture.Host;

    [Fact]
    public async Task Cancelling_stops_a_running_job_and_a_queued_one_without_a_completion_event()
    {
        // Thousands of tiles: long enough to catch it running. The second job waits behind it (one job per worker).
        var running = (string)(await Host.StartJobAsync(new { slideId = fixture.SlideId, model = ServiceFixture.FineModel }))["id"]!;
        var queued = (string)(await Host.StartJobAsync(new { slideId = fixture.SlideId, model = ServiceFixture.FineModel }))["id"]!;
        var job = await SegmentationHost.PollAsync(async () =>
        {
            var j = await Host.GetJobAsync(running);
            return (string?)j["state"] == "running" && (int)j["tilesDone"]! > (int)j["tilesSkipped"]! ? j : null;
        }, TimeSpan.FromSeconds(120), "the job never got going");

        // While it runs, tiles are pending (served, never to be cached): the whole-slide level fills from the overview,
        // and somewhere on the top level a tile still waits for its blocks.
        var width = (int)job["overlay"]!["width"]!;
        var height = (int)job["overlay"]!["height"]!;
        var top = (int)Math.Ceiling(Math.Log2(Math.Max(width, height)));
        using (var whole = await Host.Http.GetAsync($"/api/segmentation/jobs/{running}/overlay_files/0/0_0.png", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("1", whole.Headers.GetValues("X-Overlay-Pending").Single());
            Assert.True(whole.Headers.CacheControl?.NoStore);
        }
        var pending = 0;
        for (var row = 0; row * 256 < height; row++)
        for (var column = 0; column * 256 < width; column++)
        {
            using var tile = await Host.Http.GetAsync($"/api/segmentation/jobs/{running}/overlay_files/{top}/{column}_{row}.png", Ct);
            Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
            if (!tile.Headers.Contains("X-Overlay-Pending")) continue;
            pending++;
            Assert.True(tile.Headers.CacheControl?.NoStore);
            Assert.Equal(0, PngPixels.Decode(await tile.Content.ReadAsByteArrayAsync(Ct)).OpaquePixels); // no block yet: transparent
        }
        Assert.True(pending > 0, "no top-level tile was pending while the job ran");

        using (var cancelQueued = await Host.Http.PostAsync($"/api/segmentation/jobs/{queued}/cancel", null, Ct))
            Assert.Equal(HttpStatusCode.Accepted, cancelQueued.StatusCode);
        Assert.Equal("cancelled", (string?)(await Host.GetJobAsync(queued))["state"]);
        using (var cancelRunning = await Host.Http.PostAsync($"/api/segmentation/jobs/{running}/cancel", null, Ct))
            Assert.Equal(HttpStatusCode.Accepted, cancelRunning.StatusCode);

        var cancelled = await Host.WaitForStateAsync(running, "cancelled", "succeeded", "failed");
        Assert.Equal("cancelled", (string?)cancelled["state"]);
        Assert.True((int)cancelled["tilesDone"]! < (int)cancelled["tilesTotal"]!, "stopped before the end");
        Assert.NotNull(cancelled["finishedAt"]);
        using (var again = await Host.Http.PostAsync($"/api/segmentation/jobs/{running}/cancel", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        }
        // The worker is free again (the queued job was skipped), and neither job announced a result.
        var next = (string)(await Host.StartJobAsync(new { slideId = fixture.SlideId, model = ServiceFixture.HeModel }))["id"]!;
        await Host.WaitForStateAsync(next, "succeeded");
        Assert.DoesNotContain(Host.Completed, c => c.JobId.ToString() == running || c.JobId.ToString() == queued);
        Assert.Equal("cancelled", (string?)(await Host.GetJobAsync(queued))["state"]);

        // The events stream of a finished job sends "done" at once and ends.
        using var events = await Host.Http.GetAsync($"/api/segmentation/jobs/{running}/events", Ct);
        Assert.Contains("event: done", await events.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Requests_that_cannot_run_get_problem_details()
    {
        var slide = fixture.SlideId;
        await Refused(new { slideId = Guid.NewGuid(), model = ServiceFixture.HeModel }, HttpStatusCode.NotFound, "does not exist");
        await Refused(new { slideId = slide, model = "no-such-model" }, HttpStatusCode.NotFound, "no active version");
        await Refused(new { slideId = slide, model = ServiceFixture.HeModel, modelVersion = "9.9.9" }, HttpStatusCode.NotFound, "9.9.9");
        await Refused(new { slideId = slide, model = ServiceFixture.ClassifierModel }, HttpStatusCode.UnprocessableEntity, "classification");
        await Refused(new { slideId = slide, model = ServiceFixture.HeModel, region = new { x = 2000, y = 0, width = 500, height = 100 } },
            HttpStatusCode.BadRequest, "outside the slide");
        await Refused(new { slideId = slide, model = ServiceFixture.HeModel, region = new { x = 0, y = 0, width = 0, height = 100 } },
            HttpStatusCode.BadRequest, "positive");
        await Refused(new { model = ServiceFixture.HeModel }, HttpStatusCode.BadRequest, "slideId");
        using (var malformed = await Host.Http.PostAsync("/api/segmentation/jobs", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), Ct))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        foreach (var path in new[] { $"/api/segmentation/jobs/{Guid.NewGuid()}", $"/api/segmentation/jobs/{Guid.NewGuid()}/overlay.dzi",
                     $"/api/segmentation/jobs/{Guid.NewGuid()}/overlay_files/0/0_0.png", $"/api/segmentation/jobs/{Guid.NewGuid()}/events" })
        {
            using var missing = await Host.Http.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // Roles and projects: a researcher cannot start a job; another project's pathologist does not see the slide or its jobs.
        using (var researcher = await Send(HttpMethod.Post, "/api/segmentation/jobs", TestIdentity.Token(Roles.Researcher, SegmentationHost.Project),
                   new { slideId = slide, model = ServiceFixture.HeModel }))
            Assert.Equal(HttpStatusCode.Forbidden, researcher.StatusCode);
        var outsider = TestIdentity.Token(Roles.Pathologist, "beta");
        using (var other = await Send(HttpMethod.Post, "/api/segmentation/jobs", outsider, new { slideId = slide, model = ServiceFixture.HeModel }))
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        var job = (string)(await Host.StartJobAsync(new { slideId = slide, model = ServiceFixture.HeModel, region = new { x = 0, y = 0, width = 1000, height = 1000 } }))["id"]!;
        using (var hidden = await Send(HttpMethod.Get, $"/api/segmentation/jobs/{job}", outsider))
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using (var hiddenCancel = await Send(HttpMethod.Post, $"/api/segmentation/jobs/{job}/cancel", outsider))
            Assert.Equal(HttpStatusCode.NotFound, hiddenCancel.StatusCode);
        using (var hiddenList = await Send(HttpMethod.Get, $"/api/segmentation/jobs?slideId={slide}", outsider))
            Assert.Empty((await hiddenList.Content.ReadFromJsonAsync<JsonArray>(Ct))!);
        var member = TestIdentity.Token(Roles.Researcher, SegmentationHost.Project);
        using (var visible = await Send(HttpMethod.Get, $"/api/segmentation/jobs/{job}", member))
            Assert.Equal(HttpStatusCode.OK, visible.StatusCode);
        var finished = await Host.WaitForStateAsync(job, "succeeded", "failed");
        Assert.Equal("succeeded", (string?)finished["state"]);
        Assert.Equal(1000, (long)finished["region"]!["width"]!);
        Assert.True((int)finished["tilesTotal"]! < 200, "a region job plans only the region's tiles");
    }

    private async Task Refused(object body, HttpStatusCode status, string detail)
    {
        using var response = await Host.Http.PostAsJsonAsync("/api/segmentation/jobs", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{System.Text.Json.JsonSerializer.Serialize(body)}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (string?)JsonNode.Parse(text)!["detail"], StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Host.Http.SendAsync(request, Ct);
    }
}
