using Microsoft.Playwright;

namespace Halflife.WebUi.Tests;

/// <summary>Screenshots of each step, kept as test artifacts under the test's output folder.</summary>
public sealed class Screenshots(string testName)
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
    private int _step;

    public async Task TakeAsync(IPage page, string step)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{testName}-{++_step:00}-{step}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
    }

    /// <summary>Runs the steps; when one fails, the page as it was then is kept too.</summary>
    public async Task GuardAsync(IPage page, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception e) when (e is not Xunit.Sdk.SkipException)
        {
            try { await TakeAsync(page, "FAILED"); } catch (PlaywrightException) { /* the page itself is gone */ }
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
