using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>
/// The job API end to end in one embedded host (Slides + models + Segmentation): a job on the real H&amp;E test slide
/// streams its progress, fills the overlay pyramid and leaves an AI annotation layer the pathologist can review.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ServiceCollection.Name)]
public sealed class JobFlowTests(ServiceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private SegmentationHost Host => fixture.Host;

    [Fact]
    public async Task A_job_streams_progress_fills_the_overlay_and_saves_an_AI_layer_the_pathologist_reviews()
    {
        var started = await Host.StartJobAsync(new { slideId = fixture.SlideId, model = ServiceFixture.HeModel });
        var id = (string)started["id"]!;
        Assert.Equal("queued", (string?)started["state"]);
        Assert.Equal("1.0.0", (string?)started["modelVersion"]);

        // Progress arrives as server-sent events while the job runs, then "done" ends the stream.
        using var response = await Host.Http.GetAsync($"/api/segmentation/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var progress = new List<JsonObject>();
        JsonObject? done = null;
        await foreach (var (name, data) in EventStreamReader.ReadAsync(await response.Content.ReadAsStreamAsync(Ct), Ct))
        {
            if (name == "progress") progress.Add(data);
            if (name == "done") done = data;
        }
        Assert.NotNull(done);
        Assert.Equal("succeeded", (string?)done["state"]);
        var done_ = progress.Where(p => (string?)p["state"] == "running").Select(p => (int)p["tilesDone"]!).ToList();
        Assert.True(done_.Distinct().Count() >= 2, $"progress events with tilesDone {string.Join(",", done_)}");
        Assert.Equal(done_.OrderBy(d => d), done_); // never goes backwards
        Assert.Equal(1.0, (double)done["progress"]!);
        Assert.Equal((int)done["tilesTotal"]!, (int)done["tilesDone"]!);
        Assert.InRange((double)done["skippedFraction"]!, 0.01, 0.99); // the slide has glass around the tissue
        Assert.Equal("#e6194b", (string?)done["classes"]![0]!["color"]);
        Assert.Equal("hematoxylin", (string?)done["classes"]![0]!["name"]);

        // The overlay: a Deep Zoom image the size of the probability map, coloured where the model fires.
        var overlay = done["overlay"]!;
        var dzi = XDocument.Parse(await Host.Http.GetStringAsync((string)overlay["dzi"]!, Ct));
        var size = dzi.Root!.Elements().Single(e => e.Name.LocalName == "Size");
        Assert.Equal((int)overlay["width"]!, (int)size.Attribute("Width")!);
        Assert.Equal("png", (string?)dzi.Root.Attribute("Format"));
        var width = (int)overlay["width"]!;
        var height = (int)overlay["height"]!;
        var top = (int)Math.Ceiling(Math.Log2(Math.Max(width, height)));
        var opaque = 0;
        for (var row = 0; row * 256 < height; row++)
        for (var column = 0; column * 256 < width; column++)
        {
            using var tile = await Host.Http.GetAsync($"/api/segmentation/jobs/{id}/overlay_files/{top}/{column}_{row}.png", Ct);
            Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
            Assert.False(tile.Headers.Contains("X-Overlay-Pending"), "a finished job's tiles are final");
            var png = PngPixels.Decode(await tile.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(Math.Min(256, width - column * 256), png.Width);
            for (var y = 0; y < png.Height; y++)
            for (var x = 0; x < png.Width; x++)
            {
                if (png.Alpha(x, y) == 0) continue;
                opaque++;
                Assert.Equal(((byte)0xe6, (byte)0x19, (byte)0x4b), png.Colour(x, y));
                Assert.True(png.Alpha(x, y) >= 128, "only probabilities of 0.5 and more are drawn");
            }
        }
        Assert.True(opaque > 1000, $"only {opaque} overlay pixels where the model fires");
        Assert.True(opaque < width * height * 0.9, "the model fires on blue only, not everywhere");
        // Lower levels are max-pooled: even the one-pixel level 0 shows that something was found.
        Assert.True(PngPixels.Decode(await Host.Http.GetByteArrayAsync($"/api/segmentation/jobs/{id}/overlay_files/0/0_0.png", Ct)).OpaquePixels == 1);
        Assert.True(PngPixels.Decode(await Host.Http.GetByteArrayAsync($"/api/segmentation/jobs/{id}/overlay_files/{top - 2}/0_0.png", Ct)).OpaquePixels > 100);
        using (var outside = await Host.Http.GetAsync($"/api/segmentation/jobs/{id}/overlay_files/{top}/99_99.png", Ct))
            Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);

        // The contours become the slide's AI layer (SegmentationCompleted, consumed by Slides).
        var completed = await SegmentationHost.PollAsync(() => Task.FromResult(Host.Completed.FirstOrDefault(c => c.JobId.ToString() == id)),
            TimeSpan.FromSeconds(30), "no SegmentationCompleted");
        Assert.Equal("succeeded", completed.Outcome);
        Assert.True(completed.PolygonCount >= 3, $"{completed.PolygonCount} polygons");
        var features = await SegmentationHost.PollAsync(async () =>
        {
            var layer = await Host.Http.GetFromJsonAsync<JsonObject>($"/api/slides/{fixture.SlideId}/annotations?layer=AI", Ct);
            var list = layer!["features"]!.AsArray().Select(f => f!.AsObject()).Where(f => (string?)f["properties"]!["jobId"] == id).ToList();
            return list.Count > 0 ? list : null;
        }, TimeSpan.FromSeconds(30), "no AI annotations");
        Assert.True(features.Count >= 3, $"{features.Count} AI features");
        foreach (var feature in features)
        {
            var p = feature["properties"]!;
            Assert.Equal("hematoxylin", (string?)p["class"]);
            Assert.Equal("proposed", (string?)p["status"]);
            Assert.Equal(ServiceFixture.HeModel, (string?)p["model"]);
            Assert.Equal("1.0.0", (string?)p["modelVersion"]);
            Assert.Equal("AI", (string?)p["layer"]);
            Assert.InRange((double)p["probability"]!, 0.5, 1.0);
            Assert.Equal("Polygon", (string?)feature["geometry"]!["type"]);
        }

        // A pathologist (not the AI's author) accepts one, edits another and deletes a third through the annotation API.
        var pathologist = TestIdentity.Mint(new TestIdentity.TokenSpec { UserName = "dr-path", Roles = [Roles.Pathologist], Projects = [SegmentationHost.Project] });
        var accept = features[0].DeepClone().AsObject();
        accept["properties"]!["status"] = "accepted";
        using (var accepted = await SendAsync(HttpMethod.Put, $"/api/slides/{fixture.SlideId}/annotations/{accept["id"]}", pathologist, accept))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            var stored = JsonNode.Parse(await accepted.Content.ReadAsStringAsync(Ct))!;
            Assert.Equal("accepted", (string?)stored["properties"]!["status"]);
            Assert.Equal("AI", (string?)stored["properties"]!["layer"]);
        }
        var edit = features[1].DeepClone().AsObject();
        edit["geometry"] = JsonNode.Parse("""{"type":"Polygon","coordinates":[[[100,100],[300,100],[300,300],[100,300],[100,100]]]}""");
        edit["properties"]!.AsObject().Remove("layer"); // a client that forgets the layer keeps the feature in the AI layer
        using (var edited = await SendAsync(HttpMethod.Put, $"/api/slides/{fixture.SlideId}/annotations/{edit["id"]}", pathologist, edit))
        {
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
            Assert.Equal("AI", (string?)JsonNode.Parse(await edited.Content.ReadAsStringAsync(Ct))!["properties"]!["layer"]);
        }
        using (var deleted = await SendAsync(HttpMethod.Delete, $"/api/slides/{fixture.SlideId}/annotations/{features[2]["id"]}", pathologist))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var bad = features[3 % features.Count].DeepClone().AsObject();
        bad["properties"]!["status"] = "maybe";
        using (var refused = await SendAsync(HttpMethod.Put, $"/api/slides/{fixture.SlideId}/annotations/{bad["id"]}", pathologist, bad))
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var researcher = TestIdentity.Token(Roles.Researcher, SegmentationHost.Project);
        using (var denied = await SendAsync(HttpMethod.Delete, $"/api/slides/{fixture.SlideId}/annotations/{features[0]["id"]}", researcher))
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        var after = await Host.Http.GetFromJsonAsync<JsonObject>($"/api/slides/{fixture.SlideId}/annotations?layer=AI", Ct);
        var remaining = after!["features"]!.AsArray().Select(f => f!.AsObject()).ToList();
        Assert.Equal("accepted", (string?)remaining.Single(f => (string?)f["id"] == (string?)features[0]["id"])["properties"]!["status"]);
        Assert.Equal(100.0, (double)remaining.Single(f => (string?)f["id"] == (string?)features[1]["id"])["geometry"]!["coordinates"]![0]![0]![0]!);
        Assert.DoesNotContain(remaining, f => (string?)f["id"] == (string?)features[2]["id"]);
        var history = await Host.Http.GetFromJsonAsync<JsonArray>($"/api/slides/{fixture.SlideId}/annotations/history?annotationId={features[0]["id"]}", Ct);
        Assert.Contains(history!, h => (string?)h!["action"] == "update" && (string?)h["user"] == "dr-path");
        Assert.Contains(history!, h => (string?)h!["action"] == "create" && (string?)h["user"] == "ai");

        // A newer run of the same model replaces the proposals nobody reviewed, and keeps the reviewed ones.
        var rerun = (string)(await Host.StartJobAsync(new { slideId = fixture.SlideId, model = ServiceFixture.HeModel }))["id"]!;
        await Host.WaitForStateAsync(rerun, "succeeded");
        var relayered = await SegmentationHost.PollAsync(async () =>
        {
            var layer = await Host.Http.GetFromJsonAsync<JsonObject>($"/api/slides/{fixture.SlideId}/annotations?layer=AI", Ct);
            var list = layer!["features"]!.AsArray().Select(f => f!.AsObject()).ToList();
            return list.Any(f => (string?)f["properties"]!["jobId"] == rerun) ? list : null;
        }, TimeSpan.FromSeconds(30), "the re-run's AI layer");
        Assert.DoesNotContain(relayered, f => (string?)f["properties"]!["jobId"] == id && (string?)f["properties"]!["status"] == "proposed");
        Assert.Contains(relayered, f => (string?)f["id"] == (string?)features[0]["id"]);

        var list = await Host.Http.GetFromJsonAsync<JsonArray>($"/api/segmentation/jobs?slideId={fixture.SlideId}", Ct);
        var ids = list!.Select(j => (string?)j!["id"]).ToList();
        Assert.True(ids.IndexOf(rerun) < ids.IndexOf(id), "newest first");
    }

    [Fact]
    public async Task Without_a_model_name_the_job_runs_the_shipped_model_the_registry_was_seeded_with()
    {
        if (!File.Exists(Path.Combine(TestPaths.RepoRoot, "models", "he-tumour-seg", "card.json")))
            Assert.Fail("models/he-tumour-seg/card.json is missing: the service ships this model and seeds the registry with it");
        var started = await Host.StartJobAsync(new { slideId = fixture.SlideId });
        Assert.Equal("he-tumour-seg", (string?)started["model"]);
        var done = await Host.WaitForStateAsync((string)started["id"]!, "succeeded", "failed");
        Assert.True((string?)done["state"] == "succeeded", (string?)done["error"]);
        Assert.Equal("tumour-like", (string?)done["classes"]![0]!["name"]);
        Assert.Equal(1, (int)done["classes"]![0]!["index"]!);
        Assert.Equal((int)done["tilesTotal"]!, (int)done["tilesDone"]!);
        Assert.InRange((double)done["overlay"]!["downsample"]!, 1.9, 2.1); // 0.499 µm/px slide, 1 µm/px model
        using var dzi = await Host.Http.GetAsync((string)done["overlay"]!["dzi"]!, Ct);
        Assert.Equal(HttpStatusCode.OK, dzi.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Host.Http.SendAsync(request, Ct);
    }
}
