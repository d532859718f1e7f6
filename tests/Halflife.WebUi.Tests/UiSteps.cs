using Microsoft.Playwright;

namespace Halflife.WebUi.Tests;

/// <summary>Steps a person takes in the UI, found by the labels a screen reader would read.</summary>
public static class UiSteps
{
    public static async Task LogInAsync(IPage page, WebUiHost host, string next = "")
    {
        await page.GotoAsync("/" + next);
        await page.GetByLabel("User name").FillAsync(WebUiHost.AdminUser);
        await page.GetByLabel("Password").FillAsync(host.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).WaitForAsync();
    }

    /// <summary>Uploads through the resumable chunked API with the page's progress bar; returns the new slide's id.</summary>
    public static async Task<string> UploadSlideAsync(IPage page, string file)
    {
        await page.GetByLabel("Slide file").SetInputFilesAsync(file);
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload slide" }).ClickAsync();
        var open = page.GetByRole(AriaRole.Link, new() { Name = "Open uploaded slide" });
        await open.WaitForAsync(new() { Timeout = 120_000 });
        var progress = await page.Locator("#upload-progress-text").TextContentAsync();
        Assert.Contains("(100%)", progress);
        Assert.Equal("100", await page.Locator("#upload-progress").EvaluateAsync<string>("p => String(p.value)"));
        return (await open.GetAttributeAsync("data-slide-id"))!;
    }

    public static async Task OpenSlideAsync(IPage page, string slideId)
    {
        await page.GotoAsync($"/#/slides/{slideId}");
        await WaitForViewerAsync(page);
    }

    /// <summary>The viewer has opened the slide, its annotations are loaded, and tiles have been drawn.</summary>
    public static async Task WaitForViewerAsync(IPage page)
    {
        await page.Locator("#osd[data-ready='true'][data-scale]").WaitForAsync();
        await page.Locator("#annotation-count[data-count]").WaitForAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    public static async Task<double> ScaleAsync(IPage page) =>
        double.Parse((await page.Locator("#osd").GetAttributeAsync("data-scale"))!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the zoom animation has settled at a scale (screen px per slide px) other than before.</summary>
    public static async Task<double> WaitForScaleChangeAsync(IPage page, double before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        double last = before, now;
        while (true)
        {
            await Task.Delay(400);
            now = await ScaleAsync(page);
            if (Math.Abs(now - before) > before * 0.01 && Math.Abs(now - last) < now * 1e-6) return now;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"zoom did not settle: scale {before} -> {now}");
            last = now;
        }
    }

    public static async Task<int> AnnotationCountAsync(IPage page) =>
        int.Parse((await page.Locator("#annotation-count").GetAttributeAsync("data-count"))!);

    public static async Task WaitForAnnotationCountAsync(IPage page, int count) =>
        await page.Locator($"#annotation-count[data-count='{count}']").WaitForAsync();
}
