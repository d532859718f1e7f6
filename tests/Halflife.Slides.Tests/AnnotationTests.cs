using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Slides.Tests;

public sealed class AnnotationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Polygon(params double[][] ring) => new()
    {
        ["type"] = "Feature",
        ["geometry"] = new JsonObject { ["type"] = "Polygon", ["coordinates"] = new JsonArray(new JsonArray(ring.Select(p => (JsonNode)new JsonArray(p[0], p[1])).ToArray())) },
        ["properties"] = new JsonObject
        {
            ["classification"] = new JsonObject { ["name"] = "Tumor", ["color"] = new JsonArray(200, 0, 0) },
            ["layer"] = "종양 경계",
        },
    };

    private static readonly double[][] Square = [[100, 100], [600, 100], [600, 500], [100, 500], [100, 100]];

    [Fact]
    public async Task Annotations_CreateUpdateDelete_WithHistory()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("cmu-1-small-region.svs");
        var url = $"/api/slides/{slide.Id}/annotations";

        using var created = await host.Http.PostAsJsonAsync(url, Polygon(Square), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var feature = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!;
        var id = (string)feature["id"]!;
        Assert.Equal(SlidesHost.User, (string?)feature["properties"]!["author"]);
        Assert.Equal("종양 경계", (string?)feature["properties"]!["layer"]);

        var moved = Polygon([[200, 200], [700, 200], [700, 900], [200, 200]]);
        using var updated = await host.Http.PutAsJsonAsync($"{url}/{id}", moved, Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var current = JsonNode.Parse(await host.Http.GetStringAsync($"{url}/{id}", Ct))!;
        Assert.Equal(700, (double)current["geometry"]!["coordinates"]![0]![1]![0]!);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Http.DeleteAsync($"{url}/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"{url}/{id}", Ct)).StatusCode);
        var list = JsonNode.Parse(await host.Http.GetStringAsync(url, Ct))!;
        Assert.Empty(list["features"]!.AsArray());

        var history = JsonNode.Parse(await host.Http.GetStringAsync($"{url}/history?annotationId={id}", Ct))!.AsArray();
        Assert.Equal(["create", "update", "delete"], history.Select(h => (string)h!["action"]!));
        Assert.Null(history[0]!["before"]);
        Assert.Equal(600, (double)history[1]!["before"]!["geometry"]!["coordinates"]![0]![1]![0]!);
        Assert.Equal(700, (double)history[1]!["after"]!["geometry"]!["coordinates"]![0]![1]![0]!);
        Assert.Null(history[2]!["after"]);
        Assert.All(history, h => Assert.Equal(SlidesHost.User, (string?)h!["user"]));
    }

    [Fact]
    public async Task Layers_ArePerUser_AndOnlyTheAuthorChangesAnAnnotation()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("cmu-1-small-region.svs");
        var url = $"/api/slides/{slide.Id}/annotations";

        async Task<HttpResponseMessage> As(string user, HttpMethod method, string path, JsonNode? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            // Each user is a pathologist of the default project with a token of their own.
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                TestIdentity.Mint(new TestIdentity.TokenSpec { UserName = user, Roles = [Roles.Pathologist], Projects = [HalflifeClaims.DefaultProject] }));
            return await host.Http.SendAsync(request, Ct);
        }

        var alice = JsonNode.Parse(await (await As("alice", HttpMethod.Post, url, Polygon(Square))).Content.ReadAsStringAsync(Ct))!;
        var spoofed = Polygon(Square);
        spoofed["properties"]!["author"] = "alice"; // the server, not the client, decides the author
        var bob = JsonNode.Parse(await (await As("bob", HttpMethod.Post, url, spoofed)).Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("alice", (string?)alice["properties"]!["author"]);
        Assert.Equal("bob", (string?)bob["properties"]!["author"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await As("bob", HttpMethod.Put, $"{url}/{alice["id"]}", Polygon(Square))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As("bob", HttpMethod.Delete, $"{url}/{alice["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await As("alice", HttpMethod.Delete, $"{url}/{alice["id"]}")).StatusCode);

        var bobs = JsonNode.Parse(await host.Http.GetStringAsync($"{url}?author=bob", Ct))!["features"]!.AsArray();
        Assert.Equal((string?)bob["id"], (string?)Assert.Single(bobs)!["id"]);
        Assert.Empty(JsonNode.Parse(await host.Http.GetStringAsync($"{url}?author=alice", Ct))!["features"]!.AsArray());
    }

    [Fact]
    public async Task InvalidGeometry_IsRefused()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("cmu-1-small-region.svs");
        var url = $"/api/slides/{slide.Id}/annotations";

        async Task AssertRefused(JsonNode body, string expected)
        {
            using var response = await host.Http.PostAsJsonAsync(url, body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync(Ct));
        }

        await AssertRefused(Polygon([[100, 100], [600, 100], [600, 500], [100, 500]]), "closed");
        await AssertRefused(Polygon([[100, 100], [600, 100], [100, 100]]), "at least 4");
        await AssertRefused(Polygon([[0, 0], [500, 500], [500, 0], [0, 500], [0, 0]]), "crosses itself"); // bow tie
        await AssertRefused(Polygon([[100, 100], [2221, 100], [600, 500], [100, 100]]), "outside the slide");
        await AssertRefused(Polygon([[100, -1], [600, 100], [600, 500], [100, -1]]), "outside the slide");
        await AssertRefused(new JsonObject { ["type"] = "Feature", ["geometry"] = new JsonObject { ["type"] = "Circle", ["coordinates"] = new JsonArray() } }, "geometry.type");
        using var notJson = await host.Http.PostAsync(url, new StringContent("{not json", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        var huge = Enumerable.Range(0, 100_001).Select(i => new[] { (double)(i % 2000), (double)(i / 2000) }).ToList();
        huge.Add(huge[0]);
        await AssertRefused(new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = new JsonObject { ["type"] = "LineString", ["coordinates"] = new JsonArray(huge.Select(p => (JsonNode)new JsonArray(p[0], p[1])).ToArray()) },
        }, "vertices");

        Assert.Empty(JsonNode.Parse(await host.Http.GetStringAsync(url, Ct))!["features"]!.AsArray());
    }

    [Fact]
    public async Task Export_IsQuPathGeoJsonInSlidePixels_AndReimports()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("cmu-1-small-region.svs");
        var url = $"/api/slides/{slide.Id}/annotations";
        await host.Http.PostAsJsonAsync(url, Polygon(Square), Ct);
        await host.Http.PostAsJsonAsync(url, new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(2220, 2967) },
            ["properties"] = new JsonObject { ["classification"] = new JsonObject { ["name"] = "Mitosis", ["color"] = new JsonArray(0, 0, 255) } },
        }, Ct);

        using var export = await host.Http.GetAsync($"{url}/export", Ct);
        Assert.Equal("application/geo+json", export.Content.Headers.ContentType?.MediaType);
        var collection = JsonNode.Parse(await export.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("FeatureCollection", (string?)collection["type"]);
        var features = collection["features"]!.AsArray();
        Assert.Equal(2, features.Count);
        Assert.Equal(JsonNode.Parse("[[[100,100],[600,100],[600,500],[100,500],[100,100]]]")!.ToJsonString(),
            features[0]!["geometry"]!["coordinates"]!.ToJsonString());
        Assert.Equal("annotation", (string?)features[0]!["properties"]!["objectType"]);
        Assert.Equal("Tumor", (string?)features[0]!["properties"]!["classification"]!["name"]);
        Assert.Equal("default", (string?)features[1]!["properties"]!["layer"]);

        // Into a second slide of the same size (another upload), all or nothing.
        var other = await host.UploadAsync("cmu-1-small-region.svs", "copy.svs");
        using var imported = await host.Http.PostAsync($"/api/slides/{other.Id}/annotations/import",
            new StringContent(collection.ToJsonString(), Encoding.UTF8, "application/geo+json"), Ct);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await imported.Content.ReadAsStringAsync(Ct))!["imported"]!.GetValue<int>());
        var reexported = JsonNode.Parse(await host.Http.GetStringAsync($"/api/slides/{other.Id}/annotations/export", Ct))!["features"]!.AsArray();
        Assert.Equal(features.Select(f => f!["geometry"]!.ToJsonString()), reexported.Select(f => f!["geometry"]!.ToJsonString()));

        // Into a slide too small for them: refused whole.
        var tiny = await host.UploadAsync("small.svs");
        using var refused = await host.Http.PostAsync($"/api/slides/{tiny.Id}/annotations/import",
            new StringContent(collection.ToJsonString(), Encoding.UTF8, "application/geo+json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(JsonNode.Parse(await host.Http.GetStringAsync($"/api/slides/{tiny.Id}/annotations", Ct))!["features"]!.AsArray());
    }
}
