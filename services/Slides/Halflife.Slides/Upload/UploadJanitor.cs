using Halflife.Slides.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Slides.Upload;

/// <summary>
/// Resumable uploads that nobody resumes would keep gigabytes of temp files forever: sessions untouched for
/// <see cref="SlidesOptions.UploadExpiry"/> are deleted with their bytes.
/// </summary>
public sealed class UploadJanitor(IServiceScopeFactory scopes, UploadArea area, IOptions<SlidesOptions> options, ILogger<UploadJanitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var expiry = options.Value.UploadExpiry;
        var interval = TimeSpan.FromTicks(Math.Clamp(expiry.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromHours(1).Ticks));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ExpireAsync(expiry, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Expiring abandoned slide uploads failed; will retry");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ExpireAsync(TimeSpan expiry, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SlidesDbContext>();
        var cutoff = DateTime.UtcNow - expiry;
        foreach (var session in await db.Uploads.Where(u => u.CreatedAt < cutoff).Take(100).ToListAsync(cancellationToken))
        {
            // The last write time of the temp file is the last activity; an upload still receiving chunks is kept.
            var file = new FileInfo(area.PathFor(session.Id));
            if (file.Exists && file.LastWriteTimeUtc >= cutoff) continue;
            db.Uploads.Remove(session);
            await db.SaveChangesAsync(cancellationToken);
            area.Discard(session.Id);
            logger.LogInformation("Expired abandoned slide upload {Id} ({File})", session.Id, session.FileName);
        }
    }
}
