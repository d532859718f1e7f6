using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Halflife.WebUi.Tests;

/// <summary>
/// The bone-scan page: a real two-frame NM file stored through Ingest's REST upload shows up in the study list, its
/// original views render, the processed ones show either the image or a plain "not available yet" note, and a new
/// window/level changes what is drawn.
/// </summary>
[Collection(WebUiCollection.Name)]
[Trait("Category", "Slow")]
public sealed class BoneScanPageTests(WebUiHost host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string NmFile = TestPaths.Data("dicom", "poumonsReins.dcm");

    [Fact]
    public async Task Study_list_shows_the_nm_study_and_window_level_changes_the_original_views()
    {
        Prerequisites.Require(NmFile);
        using var api = await host.ApiClientAsync();
        using var body = new ByteArrayContent(await File.ReadAllBytesAsync(NmFile, Ct));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        var stored = await api.PostAsync("/api/ingest/instances", body, Ct);
        Assert.True(stored.IsSuccessStatusCode, $"upload: {(int)stored.StatusCode} {await stored.Content.ReadAsStringAsync(Ct)}");
        using var storedJson = JsonDocument.Parse(await stored.Content.ReadAsStringAsync(Ct));
        var instanceId = storedJson.RootElement.GetProperty("instanceId").GetString();
        var studyUid = storedJson.RootElement.GetProperty("studyInstanceUid").GetString()!;

        // The render endpoints are the Ingest service's (docs: GET instances/{id}/image and render.png).
        var info = await api.GetAsync($"/api/ingest/instances/{instanceId}/image", Ct);
        if (info.StatusCode == HttpStatusCode.NotFound)
            Assert.Skip("This build's Ingest has no GET /api/ingest/instances/{id}/image yet; the page would show 'not available'.");
        Assert.True(info.IsSuccessStatusCode, $"image info: {(int)info.StatusCode}");

        var shots = new Screenshots("bone-scan");
        var page = await host.NewPageAsync();
        await shots.GuardAsync(page, async () =>
        {
            await UiSteps.LogInAsync(page, host, "#/bone-scans");
            var link = page.Locator($"a.study-link[data-study-uid='{studyUid}']");
            await link.WaitForAsync();
            await shots.TakeAsync(page, "study-list");
            await link.ClickAsync();

            var original = page.Locator("figure[data-panel='original']");
            await original.Locator("img[src^='blob:']").WaitForAsync();
            await Expect(original).ToHaveAttributeAsync("data-state", "ready");
            await Expect(original.Locator(".panel-note")).ToBeHiddenAsync();
            // Two frames: the anterior and posterior views, the first one shown first.
            Assert.Equal(2, await page.Locator("input[name='frame']").CountAsync());
            Assert.True(await page.Locator("#frame-0").IsCheckedAsync(), "the first view is shown first");
            TestContext.Current.TestOutputHelper?.WriteLine($"views: {string.Join(", ", await page.Locator(".frames label").AllTextContentsAsync())}");
            // Denoised and restored come from other services: an image or a plain note, never an error.
            foreach (var name in new[] { "denoised", "restored" })
            {
                var panel = page.Locator($"figure[data-panel='{name}']");
                await Expect(panel).Not.ToHaveAttributeAsync("data-state", "loading", new() { Timeout = 30_000 });
                var state = await panel.GetAttributeAsync("data-state");
                Assert.True(state is "ready" or "missing", $"{name} panel is '{state}': {await panel.TextContentAsync()}");
                if (state == "missing") await Expect(panel).ToContainTextAsync("not available yet");
                TestContext.Current.TestOutputHelper?.WriteLine($"{name} panel: {state}");
            }
            await shots.TakeAsync(page, "comparison");

            var image = original.Locator("img");
            var srcBefore = await image.GetAttributeAsync("src");
            var pixelsBefore = await PixelSumAsync(image);
            var widthBefore = double.Parse((await page.GetByLabel("Window width").InputValueAsync()), System.Globalization.CultureInfo.InvariantCulture);
            var narrower = Math.Max(1, Math.Round(widthBefore / 4));
            await page.GetByLabel("Window width").FillAsync(narrower.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Window width").PressAsync("Enter");
            await page.GetByLabel("Window width").BlurAsync();
            await Expect(image).ToHaveAttributeAsync("data-ww", narrower.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(image).Not.ToHaveAttributeAsync("src", srcBefore!);
            var pixelsAfter = await PixelSumAsync(image);
            Assert.True(pixelsAfter != pixelsBefore, $"a narrower window must change the grey levels drawn: {pixelsBefore} -> {pixelsAfter}");
            await shots.TakeAsync(page, "narrow-window");

            await page.Locator("#frame-1").CheckAsync();
            await Expect(image).ToHaveAttributeAsync("data-frame", "1");
            await shots.TakeAsync(page, "posterior");
        });
    }

    /// <summary>Sum of the grey levels the browser decoded from the rendered PNG.</summary>
    private static Task<double> PixelSumAsync(ILocator image) => image.EvaluateAsync<double>(
        """
        async img => {
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.naturalWidth; c.height = img.naturalHeight;
          const g = c.getContext('2d');
          g.drawImage(img, 0, 0);
          const d = g.getImageData(0, 0, c.width, c.height).data;
          let sum = 0;
          for (let i = 0; i < d.length; i += 4) sum += d[i];
          return sum;
        }
        """);
}
