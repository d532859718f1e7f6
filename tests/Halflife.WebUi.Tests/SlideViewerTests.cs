using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Halflife.WebUi.Tests;

/// <summary>
/// The pathology workflow in a real browser against the real one-process product: upload a slide through the UI,
/// open it, zoom, draw, reload, export — and Korean names and labels on the way.
/// </summary>
[Collection(WebUiCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SlideViewerTests(WebUiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string SlideFile = TestPaths.Data("wsi", "cmu-1-small-region.svs");

    // CMU-1-Small-Region.svs: 2220 x 2967 pixels at 0.499 µm/pixel.
    private const int SlideWidth = 2220;
    private const int SlideHeight = 2967;

    [Fact]
    public async Task Upload_open_zoom_draw_a_polygon_reload_and_export_it_in_slide_pixels()
    {
        Prerequisites.Require(SlideFile);
        var shots = new Screenshots("slide");
        var page = await host.NewPageAsync();
        await shots.GuardAsync(page, async () =>
        {
            await UiSteps.LogInAsync(page, host);
            await shots.TakeAsync(page, "logged-in");

            var slideId = await UiSteps.UploadSlideAsync(page, SlideFile);
            await shots.TakeAsync(page, "uploaded");

            var tileRequest = page.WaitForRequestAsync(r => r.Url.Contains("_files/"));
            await page.GetByRole(AriaRole.Link, new() { Name = "Open uploaded slide" }).ClickAsync();
            await UiSteps.WaitForViewerAsync(page);
            // Tiles are fetched by XHR with the login token, like every other call (ready for enforced auth).
            var tileHeaders = await (await tileRequest).AllHeadersAsync();
            Assert.StartsWith("Bearer ", tileHeaders.GetValueOrDefault("authorization") ?? "(none)");
            Assert.Equal($"/#/slides/{slideId}", new Uri(page.Url).PathAndQuery + new Uri(page.Url).Fragment);
            await Expect(page.Locator(".scale-bar-label")).ToContainTextAsync("µm");
            await shots.TakeAsync(page, "opened");

            var home = await UiSteps.ScaleAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Zoom in" }).ClickAsync();
            var once = await UiSteps.WaitForScaleChangeAsync(page, home);
            await page.GetByRole(AriaRole.Button, new() { Name = "Zoom in" }).ClickAsync();
            var scale = await UiSteps.WaitForScaleChangeAsync(page, once);
            Assert.InRange(scale / home, 3.9, 4.1);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await shots.TakeAsync(page, "zoomed-twice");

            // A polygon around the centre of the view (the centre of the slide: home view, zoomed about the centre).
            await page.GetByRole(AriaRole.Button, new() { Name = "Polygon tool" }).ClickAsync();
            var box = (await page.Locator("#osd").BoundingBoxAsync())!;
            var (cx, cy) = (box.X + box.Width / 2, box.Y + box.Height / 2);
            (double X, double Y)[] corners = [(-100, -80), (100, -80), (120, 90), (-90, 100)];
            foreach (var (x, y) in corners) await page.Mouse.ClickAsync((float)(cx + x), (float)(cy + y));
            await page.Mouse.ClickAsync((float)(cx + corners[0].X), (float)(cy + corners[0].Y)); // on the first point: closes it
            await UiSteps.WaitForAnnotationCountAsync(page, 1);
            await shots.TakeAsync(page, "polygon-drawn");

            await page.ReloadAsync();
            await UiSteps.WaitForViewerAsync(page);
            Assert.Equal(1, await UiSteps.AnnotationCountAsync(page));
            Assert.Equal(1, await page.Locator("svg.annotation-layer g[data-annotation-id] path").CountAsync());
            await shots.TakeAsync(page, "reloaded");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export GeoJSON" }).ClickAsync());
            var exported = Path.Combine(Screenshots.Folder, "slide-export.geojson");
            await download.SaveAsAsync(exported);
            TestContext.Current.TestOutputHelper?.WriteLine($"export: {exported}");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(exported, Ct));
            Assert.Equal("FeatureCollection", json.RootElement.GetProperty("type").GetString());
            var feature = Assert.Single(json.RootElement.GetProperty("features").EnumerateArray());
            Assert.Equal("annotation", feature.GetProperty("properties").GetProperty("objectType").GetString());
            var geometry = feature.GetProperty("geometry");
            Assert.Equal("Polygon", geometry.GetProperty("type").GetString());
            var ring = geometry.GetProperty("coordinates")[0].EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
            Assert.Equal(5, ring.Count);
            Assert.Equal(ring[0], ring[^1]);
            // Slide pixel space: inside the level-0 image, and the drawn screen distances divided by the zoom.
            Assert.All(ring, p => Assert.True(p.X is > 0 and < SlideWidth && p.Y is > 0 and < SlideHeight, $"{p} is not inside the slide"));
            var tolerance = 4 / scale + 1; // a few screen pixels of rounding and mouse placement
            Assert.InRange(ring.Max(p => p.X) - ring.Min(p => p.X), 220 / scale - tolerance, 220 / scale + tolerance);
            Assert.InRange(ring.Max(p => p.Y) - ring.Min(p => p.Y), 180 / scale - tolerance, 180 / scale + tolerance);
            Assert.InRange(ring[0].X, SlideWidth / 2.0 - 100 / scale - tolerance, SlideWidth / 2.0 - 100 / scale + tolerance);
            Assert.InRange(ring[0].Y, SlideHeight / 2.0 - 80 / scale - tolerance, SlideHeight / 2.0 - 80 / scale + tolerance);
        });
    }

    [Fact]
    public async Task Korean_slide_name_and_class_label_round_trip()
    {
        Prerequisites.Require(SlideFile);
        const string koreanName = "간 생검 슬라이드 1번";
        const string koreanClass = "종양 경계";
        var shots = new Screenshots("korean");
        var page = await host.NewPageAsync();
        await shots.GuardAsync(page, async () =>
        {
            await UiSteps.LogInAsync(page, host);
            var slideId = await UiSteps.UploadSlideAsync(page, SlideFile);
            await UiSteps.OpenSlideAsync(page, slideId);

            await page.GetByLabel("Slide name").FillAsync(koreanName);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();
            await Expect(page.Locator(".viewer-message")).ToContainTextAsync("Name saved.");

            await page.GetByLabel("New class name").FillAsync(koreanClass);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add class" }).ClickAsync();
            Assert.True(await page.GetByLabel($"Class {koreanClass}").IsCheckedAsync(), "a new class becomes the current one");
            await page.GetByRole(AriaRole.Button, new() { Name = "Rectangle tool" }).ClickAsync();
            var box = (await page.Locator("#osd").BoundingBoxAsync())!;
            var (cx, cy) = (box.X + box.Width / 2, box.Y + box.Height / 2); // on the tissue, wherever the slide sits
            await page.Mouse.MoveAsync(cx - 100, cy - 75);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(cx + 100, cy + 75, new() { Steps = 5 });
            await page.Mouse.UpAsync();
            await UiSteps.WaitForAnnotationCountAsync(page, 1);

            await page.ReloadAsync();
            await UiSteps.WaitForViewerAsync(page);
            Assert.Equal(koreanName, await page.Locator("#slide-title").TextContentAsync());
            Assert.Equal(koreanName, await page.GetByLabel("Slide name").InputValueAsync());
            Assert.Equal(1, await page.Locator($"g[data-annotation-id][aria-label^='Annotation {koreanClass} ']").CountAsync());
            await shots.TakeAsync(page, "viewer");

            using var api = await host.ApiClientAsync();
            using var annotations = JsonDocument.Parse(await api.GetStringAsync($"/api/slides/{slideId}/annotations", Ct));
            var feature = Assert.Single(annotations.RootElement.GetProperty("features").EnumerateArray());
            Assert.Equal(koreanClass, feature.GetProperty("properties").GetProperty("classification").GetProperty("name").GetString());
            Assert.Equal("rectangle", feature.GetProperty("properties").GetProperty("tool").GetString());

            await page.GetByRole(AriaRole.Link, new() { Name = "Slides" }).ClickAsync();
            await page.Locator($"a.slide-name[data-slide-id='{slideId}']").WaitForAsync();
            Assert.Equal(koreanName, await page.Locator($"a.slide-name[data-slide-id='{slideId}']").TextContentAsync());
            await shots.TakeAsync(page, "list");
        });
    }
}
